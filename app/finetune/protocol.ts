// Messages between the fine-tune panel (main thread) and its worker. Plain data and typed arrays
// (structured clone copies them), like the other workers' protocols.
import type { GraphEvent } from '../../engine/events';
import type { FinetuneRecipe } from './recipe';

export type ToFinetune =
  /** Load the model (once per worker) and set up a run, paused before its first step. */
  | { type: 'reset'; runId: number; recipe: FinetuneRecipe; metaUrl: string; weightsUrl: string }
  | { type: 'play'; runId: number }
  | { type: 'pause'; runId: number }
  /** Record one training step of the whole model with events on (nothing of the run changes). */
  | { type: 'record'; runId: number; requestId: number };

export type FinetuneStatus = 'loading' | 'ready' | 'running' | 'paused' | 'done' | 'failed';

/** Parameters of one part of the model. */
export interface ModuleCount {
  /** 'stem' (conv1 and bn1), 'layer1', ..., 'fc' (the child's name in the model). */
  name: string;
  kind: string;
  /** What is inside: 'BasicBlock ×2' for a stage, 'Conv2d, BatchNorm2d' for the stem, the class otherwise. */
  detail: string;
  trainable: number;
  frozen: number;
}

export interface ParamCounts {
  trainable: number;
  frozen: number;
  modules: ModuleCount[];
}

export interface EpochRecord {
  epoch: number;
  /** Mean training loss and accuracy over the epoch's batches (with the head as it was at each step). */
  trainLoss: number;
  trainAccuracy: number;
  heldOutLoss: number;
  heldOutAccuracy: number;
}

/** Sent once per reset: what the run is about. */
export interface Setup {
  type: 'setup';
  runId: number;
  recipe: FinetuneRecipe;
  pretrainedClasses: string[];
  pretrainedAccuracy: number;
  counts: ParamCounts;
  /** What the model prints (repr), after the head was replaced. */
  modelText: string;
  totalSteps: number;
  stepsPerEpoch: number;
  /** in_features of the new head (the backbone's output size). */
  features: number;
  /** The held-out images shown, [n, 3, size, size] in [0, 1], and their true labels. */
  sampleImages: Float32Array;
  sampleLabels: Int32Array;
  sampleSize: number;
}

export interface Progress {
  type: 'progress';
  runId: number;
  status: FinetuneStatus;
  /** Steps done (0..totalSteps) and the epoch being run (1-based; epochs when done). */
  step: number;
  epoch: number;
  /** 0..1, weighted by the measured cost of the work (backbone forwards dominate). */
  fraction: number;
  /** Images whose backbone features were computed (train + held-out), and how many there are. */
  featuresDone: number;
  featuresTotal: number;
  /** What the worker is doing now, for the status line. */
  phase: 'backbone' | 'head' | 'evaluate' | 'idle';
  /** Index of the first loss in `losses` (earlier ones were sent before). */
  from: number;
  losses: Float32Array;
  epochs: EpochRecord[];
  /** Predicted class of each sample after the last evaluation (null before any). */
  samplePredictions: Int32Array | null;
  /** Time spent computing since the reset (excludes pauses). */
  computeMs: number;
}

export interface Recorded {
  type: 'recorded';
  runId: number;
  requestId: number;
  /** The step the events show, 1-based: the one the run takes next. */
  step: number;
  /** The PyTorch program the events correspond to (shown beside the graph; positions are not set). */
  program: string;
  events: GraphEvent[];
}

export type FromFinetune = Setup | Progress | Recorded | { type: 'failed'; runId: number; message: string };
