import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataLoader } from '../src/data/data-loader.js';
import { ArrayDataset } from '../src/data/dataset.js';
import { Rng } from '../src/random/rng.js';

/** A data set whose example i is the string `ex{i}`, so a batch shows which indices it holds. */
function labelled(n: number): ArrayDataset<string> {
  return new ArrayDataset(Array.from({ length: n }, (_, i) => `ex${i}`));
}

const joinBatch = (examples: string[]): string[] => examples;

describe('ArrayDataset', () => {
  it('reads examples by index and rejects indices out of range', () => {
    const set = new ArrayDataset([10, 20, 30]);
    expect(set.length).toBe(3);
    expect(set.get(2)).toBe(30);
    expect(() => set.get(3)).toThrow(/ArrayDataset\.get: index 3 is out of range for a data set of 3 examples/);
    expect(() => set.get(-1)).toThrow(/index -1/);
  });
});

describe('DataLoader', () => {
  it('visits every index exactly once per epoch, for any size, batch size, seed and epoch', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 1, max: 17 }),
        fc.nat({ max: 2 ** 32 - 1 }),
        fc.nat({ max: 1000 }),
        fc.boolean(),
        (n, batchSize, seed, epoch, shuffle) => {
          const loader = new DataLoader(labelled(n), { batchSize, seed, shuffle, collate: joinBatch });
          const batches = [...loader.batches(epoch)];
          expect(batches.length).toBe(Math.ceil(n / batchSize));
          expect(loader.numBatches).toBe(batches.length);
          batches.slice(0, -1).forEach((batch) => expect(batch.length).toBe(batchSize));
          const seen = batches
            .flat()
            .map((name) => Number(name.slice(2)))
            .sort((a, b) => a - b);
          expect(seen).toEqual(Array.from({ length: n }, (_, i) => i));
        },
      ),
    );
  });

  it('keeps the data set order when shuffle is off', () => {
    const loader = new DataLoader(labelled(7), { batchSize: 3, collate: joinBatch });
    expect([...loader.batches(4)]).toEqual([['ex0', 'ex1', 'ex2'], ['ex3', 'ex4', 'ex5'], ['ex6']]);
  });

  it('gives the same order for the same (seed, epoch), whatever was iterated before', () => {
    const options = { batchSize: 4, shuffle: true, seed: 1234, collate: joinBatch };
    const fresh = new DataLoader(labelled(50), options);
    const used = new DataLoader(labelled(50), options);
    for (let epoch = 0; epoch < 3; epoch++) [...used.batches(epoch)];
    expect([...used.batches(3)]).toEqual([...fresh.batches(3)]);
    expect(fresh.order(3)).toEqual(used.order(3));
  });

  it('is a Fisher–Yates shuffle drawn from Rng(seed).derive("data").derive(epoch)', () => {
    const loader = new DataLoader(labelled(20), { batchSize: 5, shuffle: true, seed: 99, collate: joinBatch });
    const expected = new Rng(99)
      .derive('data')
      .derive(2)
      .shuffle(Array.from({ length: 20 }, (_, i) => i));
    expect(loader.order(2)).toEqual(expected);
    expect(loader.batchIndices(2)).toEqual([expected.slice(0, 5), expected.slice(5, 10), expected.slice(10, 15), expected.slice(15, 20)]);
  });

  it('draws a different order for different epochs and different seeds', () => {
    const make = (seed: number): DataLoader<string, string[]> =>
      new DataLoader(labelled(100), { batchSize: 10, shuffle: true, seed, collate: joinBatch });
    const loader = make(5);
    const orders = [0, 1, 2, 3].map((epoch) => loader.order(epoch).join(','));
    expect(new Set(orders).size).toBe(4);
    expect(make(6).order(0)).not.toEqual(loader.order(0));
    // a shuffled order of 100 items that left the identity in place would be a broken shuffle
    expect(loader.order(0)).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('keeps a last partial batch, or drops it with dropLast', () => {
    const kept = new DataLoader(labelled(10), { batchSize: 4, collate: joinBatch });
    expect(kept.numBatches).toBe(3);
    expect([...kept.batches(0)].map((batch) => batch.length)).toEqual([4, 4, 2]);
    const dropped = new DataLoader(labelled(10), { batchSize: 4, dropLast: true, collate: joinBatch });
    expect(dropped.numBatches).toBe(2);
    expect([...dropped.batches(0)]).toEqual([
      ['ex0', 'ex1', 'ex2', 'ex3'],
      ['ex4', 'ex5', 'ex6', 'ex7'],
    ]);
    const exact = new DataLoader(labelled(8), { batchSize: 4, dropLast: true, collate: joinBatch });
    expect(exact.numBatches).toBe(2);
  });

  it('passes each batch’s examples, in batch order, to collate and yields what it returns', () => {
    const set = new ArrayDataset([
      { x: 1, y: 0 },
      { x: 2, y: 1 },
      { x: 3, y: 0 },
    ]);
    const loader = new DataLoader(set, {
      batchSize: 2,
      collate: (examples) => ({ xs: examples.map((e) => e.x), count: examples.length }),
    });
    expect([...loader.batches(0)]).toEqual([
      { xs: [1, 2], count: 2 },
      { xs: [3], count: 1 },
    ]);
  });

  it('collates lazily, one batch at a time', () => {
    let collated = 0;
    const loader = new DataLoader(labelled(9), {
      batchSize: 3,
      collate: (examples) => {
        collated++;
        return examples;
      },
    });
    const iterator = loader.batches(0);
    expect(collated).toBe(0);
    iterator.next();
    expect(collated).toBe(1);
  });

  it('rejects a bad batch size, seed or epoch, naming it', () => {
    expect(() => new DataLoader(labelled(3), { batchSize: 0, collate: joinBatch })).toThrow(
      /DataLoader: batchSize must be an integer ≥ 1, got 0/,
    );
    expect(() => new DataLoader(labelled(3), { batchSize: 2.5, collate: joinBatch })).toThrow(/batchSize.*2\.5/);
    expect(() => new DataLoader(labelled(3), { batchSize: 2, seed: -4, collate: joinBatch })).toThrow(
      /DataLoader: seed must be an integer in \[0, 2\^32 - 1\], got -4/,
    );
    const loader = new DataLoader(labelled(3), { batchSize: 2, collate: joinBatch });
    expect(() => loader.batches(-1)).toThrow(/DataLoader: epoch must be an integer ≥ 0, got -1/);
  });
});
