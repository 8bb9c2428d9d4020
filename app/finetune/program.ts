// The PyTorch program a recorded fine-tuning step corresponds to, and the positions of its statements.
// Pure text (no engine import), so the panel can show it without loading the engine on the main thread.
import type { SourcePos } from '../../engine/events';
import type { FinetuneRecipe } from './recipe';

/** What a recorded step shows: the step (1-based; beyond totalSteps once training is done), its learning rate, the batch size. */
export interface StepInfo {
  step: number;
  totalSteps: number;
  lr: number;
  batch: number;
  features: number;
}

/**
 * The PyTorch program one recorded step corresponds to. The canvas shows it in the editor, and the events
 * carry positions into it, so stepping through the graph highlights the statement that ran.
 */
export function stepProgram(r: FinetuneRecipe, i: StepInfo): string {
  return [
    i.step <= i.totalSteps
      ? `# Step ${i.step} of ${i.totalSteps} of the Fine-tune panel, recorded by the engine. small_resnet() is`
      : `# One more step of the fine-tuned model (after all ${i.totalSteps}), recorded by the engine. small_resnet() is`,
    '# the project\'s pretrained model (public/models/small-resnet.json): this text says what ran; it does',
    '# not run in this editor.',
    'import torch, torchvision',
    'from torch import nn, optim',
    'from safetensors.torch import load_file',
    '',
    'model = small_resnet()  # stages [1, 1, 1], widths 16, 32, 64',
    'model.load_state_dict(load_file("models/small-resnet.safetensors"))',
    'model.eval()  # the frozen backbone keeps its BatchNorm running statistics',
    'for param in model.parameters():',
    '    param.requires_grad = False',
    `model.fc = nn.Linear(${i.features}, ${r.classes.length})  # ${r.classes.join(', ')}`,
    `optimizer = optim.SGD(model.fc.parameters(), lr=${r.lr}, momentum=${r.momentum})`,
    '',
    `images, labels = next(batches)  # ${i.batch} images of the new task: [${i.batch}, 3, 32, 32]`,
    `optimizer.param_groups[0]["lr"] = ${+i.lr.toPrecision(4)}  # ${r.schedule} schedule`,
    'prediction = model(images)',
    'loss = nn.functional.cross_entropy(prediction, labels)',
    'optimizer.zero_grad()',
    'loss.backward()',
    'optimizer.step()',
    '',
  ].join('\n');
}

export type StepStatement = 'model' | 'freeze' | 'head' | 'batch' | 'forward' | 'loss' | 'zeroGrad' | 'backward' | 'step';

/** The position of each statement of `stepProgram`'s text (the whole line, indentation excluded). */
export function stepSourceMap(program: string): Record<StepStatement, SourcePos | undefined> {
  const lines = program.split('\n');
  const find = (prefix: string): SourcePos | undefined => {
    const i = lines.findIndex((l) => l.trimStart().startsWith(prefix));
    if (i < 0) return undefined;
    const text = lines[i];
    return { line: i + 1, col: text.length - text.trimStart().length + 1, endLine: i + 1, endCol: text.length + 1 };
  };
  return {
    model: find('model = '),
    freeze: find('param.requires_grad = False'),
    head: find('model.fc = '),
    batch: find('images, labels = '),
    forward: find('prediction = model('),
    loss: find('loss = '),
    zeroGrad: find('optimizer.zero_grad()'),
    backward: find('loss.backward()'),
    step: find('optimizer.step()'),
  };
}

