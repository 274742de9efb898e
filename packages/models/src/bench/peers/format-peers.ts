/**
 * The peers table: every LeNet.ts target and every peer, with ms per step, examples per second and
 * the ratio of each row to each peer (LeNet.ts ÷ peer, from the same run), in Markdown. The
 * benchmark prints it, and the models README shows it (derived from a committed results file).
 * @module
 */
import type { BenchResult } from '../bench-result.js';
import { coresLabel, describeRounds } from '../format-bench.js';
import { describeCpu } from '../process-cpu.js';
import type { Rounds } from '../rounds.js';
import type { StepTiming } from '../step-timing.js';
import { peerRatios, type PeerRatio } from './peer-ratios.js';
import type { PeerResult } from './peer-result.js';

/** What a row needs: a name, a device, and its timing or why it has none. */
interface Row {
  readonly name: string;
  /** The target or peer name the ratios know it by. */
  readonly key: string;
  readonly device: string;
  readonly cpu: string;
  readonly rounds: Rounds | undefined;
  readonly training: Pick<StepTiming, 'msPerStep' | 'examplesPerSecond' | 'losses'> | undefined;
  readonly missing: string;
}

const firstLine = (text: string | undefined): string => (text ?? 'unknown').split('\n')[0];

function lenetRow(result: BenchResult): Row {
  const step = result.training === undefined ? '' : `, ${result.training.stepMode}`;
  const name = `LeNet.ts ${result.target === 'backend-cpu' ? 'backend-cpu' : `gpu.js ${result.target}`}${step}`;
  return {
    name,
    key: result.target,
    device: result.device ?? '—',
    cpu: describeCpu(result.cpu),
    rounds: result.rounds,
    training: result.training,
    missing: `not run: ${firstLine(result.error)}`,
  };
}

function peerRow(peer: PeerResult): Row {
  const missing = peer.unavailable !== undefined ? `not here: ${firstLine(peer.unavailable)}` : `failed: ${firstLine(peer.error)}`;
  return {
    name: peer.label,
    key: peer.peer,
    device: peer.device ?? '—',
    cpu: describeCpu(peer.cpu),
    rounds: peer.rounds,
    training: peer.training,
    missing,
  };
}

const times = (value: number): string => `${value >= 10 ? value.toFixed(1) : value.toFixed(2)}×`;

/** `0.89× (0.86–0.92)`: the median round's ratio and the range of the rounds' (one figure for one round). */
function ratioCell(ratio: Pick<PeerRatio, 'ratio' | 'min' | 'max'>, rounds: number): string {
  return rounds > 1 ? `${times(ratio.ratio)} (${times(ratio.min)}–${times(ratio.max)})` : times(ratio.ratio);
}

/**
 * The table (Markdown); the ratio columns are "vs <peer>, N cores" for each peer that trained,
 * where N is the cores every target ran on (`cores`: the run's, the same for all of them).
 */
export function formatPeerTable(results: readonly BenchResult[], peers: readonly PeerResult[], cores: number): string {
  const measuredPeers = peers.filter((peer) => peer.training !== undefined);
  // the ratios of the LeNet.ts targets, and of each peer to each (a peer's own column is 1.00×)
  const ratios = [...peerRatios(results, peers), ...peerToPeerRatios(measuredPeers)];
  const header = [
    'target',
    'device',
    'cores, threads',
    'ms / step',
    'examples / s (median round)',
    'examples / s, min–max',
    ...measuredPeers.map((peer) => `vs ${peer.label}, ${coresLabel(cores)}`),
    'loss, first → last step',
  ];
  const rows = [...results.map(lenetRow), ...peers.map(peerRow)].map((row) => {
    if (row.training === undefined) return [row.name, row.device, row.cpu, '—', '—', '—', ...measuredPeers.map(() => '—'), row.missing];
    const { msPerStep, examplesPerSecond, losses } = row.training;
    const roundCount = row.rounds?.examplesPerSecond.length ?? 1;
    const cells = measuredPeers.map((peer) => {
      const found = ratios.find((ratio) => ratio.target === row.key && ratio.peer === peer.peer);
      return found === undefined ? '—' : ratioCell(found, roundCount);
    });
    const loss = losses.length === 0 ? '—' : `${losses[0].toFixed(4)} → ${losses[losses.length - 1].toFixed(4)}`;
    return [
      row.name,
      row.device,
      row.cpu,
      msPerStep.toFixed(1),
      Math.round(examplesPerSecond).toLocaleString('en-US'),
      describeRounds(row),
      ...cells,
      loss,
    ];
  });
  const escapePipes = (cell: string): string => cell.replaceAll('|', '\\|');
  const line = (cells: readonly string[]): string => `| ${cells.map(escapePipes).join(' | ')} |`;
  const align = ['---', '---', '---', '---:', '---:', '---:', ...measuredPeers.map(() => '---:'), '---'];
  return [line(header), `|${align.join('|')}|`, ...rows.map(line)].join('\n');
}

/** Each peer's ratio to each peer, round by round (as {@link peerRatios} does for LeNet.ts's targets). */
function peerToPeerRatios(peers: readonly PeerResult[]): PeerRatio[] {
  return peerRatios(
    peers.map((peer) => ({ ...peer, target: peer.peer })),
    peers,
  );
}
