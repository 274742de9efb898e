/**
 * Data loading: the {@link Dataset} interface, {@link ArrayDataset} and the {@link DataLoader}.
 * @module
 */
export { ArrayDataset, type Dataset } from './dataset.js';
export { DataLoader, type DataLoaderOptions } from './data-loader.js';
