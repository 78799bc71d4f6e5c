export { VideoClassifier } from './video-classifier';
export { ObjectTracker } from './object-tracker';
export { VideoGenerator } from './video-generator';
export { attentionMultiplyHint } from './hints';
