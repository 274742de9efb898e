/**
 * Guide 6's generated parts: the recorded run's settings, per-epoch figures and curves, the command
 * that reproduces it, and the benchmark table of `@lenet/models`.
 * @module
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCheckpoint, renderTrainingCurvesSvg } from '@lenet/models';
import type { Fragments } from '../fragments.js';
import { codeBlock, markdownTable, withThousands } from '../markdown.js';
import type { RecordedRun } from '../recorded-run.js';

const percent = (value: number): string => `${(value * 100).toFixed(1)} %`;

/** Copies (or draws) `training-curves.svg` into `mediaDir` and returns the run's fragments. */
export function trainingSection(mediaDir: string, run: RecordedRun): Fragments {
  const { info } = readCheckpoint(run.checkpoint);
  const { settings } = info;
  const curvesFile = join(mediaDir, 'training-curves.svg');
  if (run.curves !== null) copyFileSync(run.curves, curvesFile);
  else writeFileSync(curvesFile, renderTrainingCurvesSvg(run.metrics, run.metrics.length));

  const last = run.metrics[run.metrics.length - 1];
  const table = markdownTable(
    ['epoch', 'train loss', 'train acc', 'test acc', 'examples/sec', 'train time (s)'],
    run.metrics.map((epoch) => [
      String(epoch.epoch),
      epoch.trainLoss.toFixed(3),
      epoch.trainAcc.toFixed(3),
      epoch.testAcc.toFixed(3),
      withThousands(Math.round(epoch.examplesPerSec)),
      epoch.trainSeconds.toFixed(1),
    ]),
    ['r', 'r', 'r', 'r', 'r', 'r'],
  );
  const gpuMode = info.backend.startsWith('gpu.js:') ? info.backend.slice('gpu.js:'.length) : null;
  const command = [
    'npm run train --',
    `--model ${settings.model}`,
    `--epochs ${info.epoch}`,
    `--lr ${settings.lr}`,
    `--batch-size ${settings.batchSize}`,
    `--seed ${settings.seed}`,
    gpuMode === null ? '--backend cpu' : `--backend gpu --gpu-mode ${gpuMode}`,
    settings.trainExamples < 60_000 ? `--limit ${settings.trainExamples}` : '',
    '--out runs/lenet5',
  ].filter((part) => part !== '');
  return {
    'training-settings': markdownTable(
      ['setting', 'value'],
      [
        ['model', `\`${settings.model}\``],
        [
          'data',
          `${settings.dataset}: ${withThousands(settings.trainExamples)} training, ${withThousands(settings.testExamples)} test examples`,
        ],
        ['epochs', String(info.epoch)],
        ['learning rate $\\eta$', String(settings.lr)],
        ['batch size $B$', String(settings.batchSize)],
        ['momentum', String(settings.momentum)],
        ['seed', String(settings.seed)],
        ['backend', `\`${info.backend}\``],
        ['recorded in', `\`${run.displayPath}\``],
      ],
    ),
    'training-final':
      `After ${last.epoch} epoch${last.epoch === 1 ? '' : 's'}: train loss **${last.trainLoss.toFixed(3)}**, train accuracy **${percent(last.trainAcc)}**, ` +
      `test accuracy **${percent(last.testAcc)}**, ${withThousands(Math.round(last.examplesPerSec))} examples/sec.`,
    'training-epochs': table,
    'training-log':
      run.logHeader === null
        ? 'The run kept no `train.log`.'
        : `What the train command printed before the first epoch (from the run's \`train.log\`):\n\n${codeBlock('text', run.logHeader)}`,
    'training-curves': '![Train loss, train accuracy and test accuracy of the recorded run, by epoch](./media/training-curves.svg)',
    'training-command': codeBlock('bash', command.join(' ')),
  };
}
