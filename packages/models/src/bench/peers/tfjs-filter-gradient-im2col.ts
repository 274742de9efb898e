/**
 * The filter gradient as im2col + one matrix product, the way TensorFlow's own CPU kernel does:
 *
 *   colsᵀ[(p,q,c), (n,x,y)] = x_pad[n, x·sh + p, y·sw + q, c]     (plain loops: data movement only)
 *   ∂L/∂W = colsᵀ · dy, read as [KH·KW·C, OC] = [KH,KW,C,OC]       (wasm's BatchMatMul: XNNPACK, SIMD)
 *
 * The product holds all of the arithmetic (2·N·OH·OW·KH·KW·C·OC flops, 92 M multiply-adds per
 * LeNet step at batch 256) and runs in the backend's own SIMD matmul; the loops only copy
 * N·OH·OW·KH·KW·C floats, in JavaScript. Written as multiply-add loops in JavaScript instead, the
 * same gradient took several times longer (see the package README, "Peers").
 *
 * Shapes: x `[N,H,W,C]`, dy `[N,OH,OW,OC]` → `[KH,KW,C,OC]`.
 * @module
 */
import { type backend_util, BatchMatMul, getKernel, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

function float32View(backend: BackendWasm, info: TensorInfo, name: string): Float32Array {
  const view = backend.typedArrayFromHeap(info);
  if (!(view instanceof Float32Array)) throw new Error(`Conv2DBackpropFilter (wasm): ${name} must be float32, got ${info.dtype}`);
  return view;
}

/** ∂L/∂W `[KH,KW,C,OC]` of the convolution `info` describes, from x and dy, by im2col + BatchMatMul. */
export function filterGradientByIm2col(backend: BackendWasm, info: backend_util.Conv2DInfo, x: TensorInfo, dy: TensorInfo): TensorInfo {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: OC } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = info;
  const { top: ph, left: pw } = info.padInfo;
  const rows = N * OH * OW;
  const columns = KH * KW * C;

  // colsᵀ[(p,q,c), (n,x,y)] = x_pad[n, x·sh + p − ph, y·sw + q − pw, c], 0 in the padding. Laid
  // out transposed so that the product needs no transpose: the wasm matmul with transposeA was much
  // slower at these shapes (measured once, not recorded).
  const colsT = backend.makeOutput([1, columns, rows], 'float32');
  const colsValues = float32View(backend, colsT, 'cols');
  const xValues = float32View(backend, x, 'x');
  for (let p = 0; p < KH; p++) {
    for (let q = 0; q < KW; q++) {
      for (let c = 0; c < C; c++) {
        let at = ((p * KW + q) * C + c) * rows;
        for (let n = 0; n < N; n++) {
          for (let ox = 0; ox < OH; ox++) {
            const ix = ox * sh + p - ph;
            const inside = ix >= 0 && ix < H;
            for (let oy = 0; oy < OW; oy++, at++) {
              const iy = oy * sw + q - pw;
              colsValues[at] = inside && iy >= 0 && iy < W ? xValues[((n * H + ix) * W + iy) * C + c] : 0;
            }
          }
        }
      }
    }
  }

  const matMul = getKernel(BatchMatMul, 'wasm');
  if (matMul === undefined) throw new Error('Conv2DBackpropFilter (wasm): the wasm backend has no BatchMatMul kernel registered');
  const dyMatrix: TensorInfo = { dataId: dy.dataId, shape: [1, rows, OC], dtype: 'float32' };
  const product = matMul.kernelFunc({ inputs: { a: colsT, b: dyMatrix }, backend, attrs: { transposeA: false, transposeB: false } });
  backend.disposeData(colsT.dataId);
  if (Array.isArray(product)) throw new Error('Conv2DBackpropFilter (wasm): BatchMatMul returned several tensors');
  return { dataId: product.dataId, shape: [KH, KW, C, OC], dtype: 'float32' };
}
