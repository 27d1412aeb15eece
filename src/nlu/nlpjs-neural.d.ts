// Types for the part of @nlpjs/neural (nlp.js's intent classifier network) that Nabta uses; the
// package ships none.
declare module '@nlpjs/neural' {
  export interface NeuralNetworkSettings {
    iterations?: number;
    errorThresh?: number;
    deltaErrorThresh?: number;
    learningRate?: number;
    momentum?: number;
    alpha?: number;
    log?: boolean;
  }
  export interface TrainingItem {
    input: Record<string, number>;
    output: Record<string, number>;
  }
  /** The trained network: for intent i, perceptrons[i] holds one weight per feature, then the bias. */
  export interface NeuralNetworkJson {
    features?: string[];
    intents?: string[];
    perceptrons?: number[][];
  }
  export class NeuralNetwork {
    constructor(settings?: NeuralNetworkSettings);
    train(corpus: TrainingItem[]): { error: number; iterations: number };
    /** One output per class; the same object is reused by the next call. Undefined before training. */
    run(input: Record<string, number>): Record<string, number> | undefined;
    toJSON(): NeuralNetworkJson;
  }
}
