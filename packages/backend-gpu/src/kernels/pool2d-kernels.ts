/**
 * Average and max pooling and their gradients. Input x `[N,C,H,W]`, output `[N,C,outH,outW]`,
 * window (kh,kw), stride (sy,sx), padding (padY,padX); window (oy,ox) covers input rows
 * oy·sy − padY … oy·sy − padY + kh − 1 and the same for columns.
 * @module
 */
import type { IKernelFunctionThis } from 'gpu.js';
import type { WindowConstants } from './window-constants.js';

/**
 * out[n,c](oy,ox) = (1 / (kh·kw)) · Σ_u Σ_v x[n,c](oy·sy + u − padY, ox·sx + v − padX);
 * padding cells count as zeros and stay in the divisor.
 */
export function avgPool2dKernel(this: IKernelFunctionThis<WindowConstants>, x: Float32Array): number {
  const i = this.thread.x;
  const row = Math.floor((i + 0.5) / this.constants.outWidth);
  const ox = i - row * this.constants.outWidth;
  const plane = Math.floor((row + 0.5) / this.constants.outHeight);
  const oy = row - plane * this.constants.outHeight;
  let sum = 0;
  for (let u = 0; u < this.constants.kernelHeight; u++) {
    const iy = oy * this.constants.strideHeight + u - this.constants.padHeight;
    if (iy >= 0 && iy < this.constants.inHeight) {
      const xRow = (plane * this.constants.inHeight + iy) * this.constants.inWidth;
      for (let v = 0; v < this.constants.kernelWidth; v++) {
        const ix = ox * this.constants.strideWidth + v - this.constants.padWidth;
        if (ix >= 0 && ix < this.constants.inWidth) {
          sum += x[xRow + ix];
        }
      }
    }
  }
  return sum / (this.constants.kernelHeight * this.constants.kernelWidth);
}

/**
 * dx[n,c](y,x) = Σ dy[n,c](oy,ox) / (kh·kw) over the windows (oy,ox) that cover (y,x), i.e. the
 * (u,v) for which oy = (y + padY − u)/sy and ox = (x + padX − v)/sx are whole numbers in range.
 */
export function avgPool2dBackpropKernel(this: IKernelFunctionThis<WindowConstants>, dy: Float32Array): number {
  const i = this.thread.x;
  const row = Math.floor((i + 0.5) / this.constants.inWidth);
  const x = i - row * this.constants.inWidth;
  const plane = Math.floor((row + 0.5) / this.constants.inHeight);
  const y = row - plane * this.constants.inHeight;
  let sum = 0;
  for (let u = 0; u < this.constants.kernelHeight; u++) {
    const ty = y + this.constants.padHeight - u;
    const oy = Math.floor((ty + 0.5) / this.constants.strideHeight);
    if (ty >= 0 && oy * this.constants.strideHeight === ty && oy < this.constants.outHeight) {
      for (let v = 0; v < this.constants.kernelWidth; v++) {
        const tx = x + this.constants.padWidth - v;
        const ox = Math.floor((tx + 0.5) / this.constants.strideWidth);
        if (tx >= 0 && ox * this.constants.strideWidth === tx && ox < this.constants.outWidth) {
          sum += dy[(plane * this.constants.outHeight + oy) * this.constants.outWidth + ox];
        }
      }
    }
  }
  return sum / (this.constants.kernelHeight * this.constants.kernelWidth);
}

/** out[n,c](oy,ox) = max over the window's cells inside the input (padding cells are ignored). */
export function maxPool2dKernel(this: IKernelFunctionThis<WindowConstants>, x: Float32Array): number {
  const i = this.thread.x;
  const row = Math.floor((i + 0.5) / this.constants.outWidth);
  const ox = i - row * this.constants.outWidth;
  const plane = Math.floor((row + 0.5) / this.constants.outHeight);
  const oy = row - plane * this.constants.outHeight;
  // the first cell in the window starts the maximum (as backend-cpu does), not a sentinel like
  // −3.4e38, which would differ from −∞ inputs
  let best = 0;
  let found = 0;
  for (let u = 0; u < this.constants.kernelHeight; u++) {
    const iy = oy * this.constants.strideHeight + u - this.constants.padHeight;
    if (iy >= 0 && iy < this.constants.inHeight) {
      for (let v = 0; v < this.constants.kernelWidth; v++) {
        const ix = ox * this.constants.strideWidth + v - this.constants.padWidth;
        if (ix >= 0 && ix < this.constants.inWidth) {
          const value = x[(plane * this.constants.inHeight + iy) * this.constants.inWidth + ix];
          if (found === 0 || value > best) {
            best = value;
            found = 1;
          }
        }
      }
    }
  }
  return best;
}

/**
 * dx[n,c](y,x) = Σ dy[n,c](oy,ox) over the windows (oy,ox) that cover (y,x) and whose arg-max is
 * (y,x); the arg-max is the first maximum in row-major order, padding ignored. Each thread
 * recomputes the arg-max of the (at most kh·kw) windows that cover its cell.
 */
export function maxPool2dBackpropKernel(this: IKernelFunctionThis<WindowConstants>, dy: Float32Array, x: Float32Array): number {
  const i = this.thread.x;
  const row = Math.floor((i + 0.5) / this.constants.inWidth);
  const xx = i - row * this.constants.inWidth;
  const plane = Math.floor((row + 0.5) / this.constants.inHeight);
  const yy = row - plane * this.constants.inHeight;
  let sum = 0;
  for (let u = 0; u < this.constants.kernelHeight; u++) {
    const ty = yy + this.constants.padHeight - u;
    const oy = Math.floor((ty + 0.5) / this.constants.strideHeight);
    if (ty >= 0 && oy * this.constants.strideHeight === ty && oy < this.constants.outHeight) {
      for (let v = 0; v < this.constants.kernelWidth; v++) {
        const tx = xx + this.constants.padWidth - v;
        const ox = Math.floor((tx + 0.5) / this.constants.strideWidth);
        if (tx >= 0 && ox * this.constants.strideWidth === tx && ox < this.constants.outWidth) {
          let best = 0;
          let bestY = -1;
          let bestX = -1;
          for (let p = 0; p < this.constants.kernelHeight; p++) {
            const iy = oy * this.constants.strideHeight + p - this.constants.padHeight;
            if (iy >= 0 && iy < this.constants.inHeight) {
              for (let q = 0; q < this.constants.kernelWidth; q++) {
                const ix = ox * this.constants.strideWidth + q - this.constants.padWidth;
                if (ix >= 0 && ix < this.constants.inWidth) {
                  const value = x[(plane * this.constants.inHeight + iy) * this.constants.inWidth + ix];
                  if (bestY < 0 || value > best) {
                    best = value;
                    bestY = iy;
                    bestX = ix;
                  }
                }
              }
            }
          }
          if (bestY === yy && bestX === xx) {
            sum += dy[(plane * this.constants.outHeight + oy) * this.constants.outWidth + ox];
          }
        }
      }
    }
  }
  return sum;
}
