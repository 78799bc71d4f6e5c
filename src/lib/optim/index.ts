export { Optimizer, type OptimizerStateDict, type Hyper, type ParamState } from './optimizer';
export { SGD, type SGDOptions } from './sgd';
export { Adam, AdamW, type AdamOptions } from './adam';
export { StepLR, CosineAnnealingLR, LinearWarmup, SequentialLR, warmupCosine, LrScheduler, type LrSchedule } from './schedules';
export { clipGradNorm, gradNorm } from './clip';
