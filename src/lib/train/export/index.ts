export { exportToPyTorch, type ExportOptions, type PyTorchExport } from './export';
export type { TorchCall, TorchClass, TorchExportable } from './spec';
