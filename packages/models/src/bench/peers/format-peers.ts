/**
 * The peers table: every LeNet.ts target and every peer, with ms per step, examples per second and
 * the ratio of each row to each peer (LeNet.ts ÷ peer, from the same run), in Markdown. The
 * benchmark prints it, and the models README shows it (derived from a committed results file).
 * @module
 */
import type { BenchResult } from '../bench-result.js';
import type { StepTiming } from '../step-timing.js';
import type { PeerResult } from './peer-result.js';

/** What a row needs: a name, a device, and its timing or why it has none. */
interface Row {
  readonly name: string;
  readonly device: string;
  readonly training: Pick<StepTiming, 'msPerStep' | 'examplesPerSecond' | 'losses'> | undefined;
  readonly missing: string;
}

const firstLine = (text: string | undefined): string => (text ?? 'unknown').split('\n')[0];

function lenetRow(result: BenchResult): Row {
  const step = result.training === undefined ? '' : `, ${result.training.stepMode}`;
  const name = `LeNet.ts ${result.target === 'backend-cpu' ? 'backend-cpu' : `gpu.js ${result.target}`}${step}`;
  return { name, device: result.device ?? '—', training: result.training, missing: `not run: ${firstLine(result.error)}` };
}

function peerRow(peer: PeerResult): Row {
  const missing = peer.unavailable !== undefined ? `not here: ${firstLine(peer.unavailable)}` : `failed: ${firstLine(peer.error)}`;
  return { name: peer.label, device: peer.device ?? '—', training: peer.training, missing };
}

const ratio = (value: number): string => `${value >= 10 ? value.toFixed(1) : value.toFixed(2)}×`;

/** The table (Markdown); the ratio columns are "vs <peer>" for each peer that trained. */
export function formatPeerTable(results: readonly BenchResult[], peers: readonly PeerResult[]): string {
  const measuredPeers = peers.filter((peer) => peer.training !== undefined);
  const header = [
    'target',
    'device',
    'ms / step',
    'examples / s',
    ...measuredPeers.map((peer) => `vs ${peer.label}`),
    'loss, first → last step',
  ];
  const rows = [...results.map(lenetRow), ...peers.map(peerRow)].map((row) => {
    if (row.training === undefined) return [row.name, row.device, '—', '—', ...measuredPeers.map(() => '—'), row.missing];
    const { msPerStep, examplesPerSecond, losses } = row.training;
    const ratios = measuredPeers.map((peer) => ratio(examplesPerSecond / (peer.training?.examplesPerSecond ?? Number.NaN)));
    const loss = losses.length === 0 ? '—' : `${losses[0].toFixed(4)} → ${losses[losses.length - 1].toFixed(4)}`;
    return [row.name, row.device, msPerStep.toFixed(1), Math.round(examplesPerSecond).toLocaleString('en-US'), ...ratios, loss];
  });
  const escapePipes = (cell: string): string => cell.replaceAll('|', '\\|');
  const line = (cells: readonly string[]): string => `| ${cells.map(escapePipes).join(' | ')} |`;
  const align = ['---', '---', '---:', '---:', ...measuredPeers.map(() => '---:'), '---'];
  return [line(header), `|${align.join('|')}|`, ...rows.map(line)].join('\n');
}
