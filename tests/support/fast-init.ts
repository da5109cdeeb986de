/**
 * Tests that compare shapes and parameter counts with TF.js never look at
 * initial weight values, yet TF.js's CPU initialisers can dominate their cost:
 * the orthogonal recurrent kernel of an LSTM(128) runs a QR factorisation for
 * about a minute, and a 205M-weight Dense draws as many random numbers.
 * Zero-filling stand-ins registered under the same class names give the same
 * weight shapes at a fraction of the time. Call once per test file (each file
 * runs in its own process, so the swap never leaks into other suites).
 */
import type * as tfType from '@tensorflow/tfjs';

type Tf = typeof tfType;
type Ctor = tfType.serialization.SerializableConstructor<tfType.serialization.Serializable>;

export const SLOW_INITIALIZERS = ['Orthogonal', 'GlorotUniform', 'GlorotNormal', 'HeNormal', 'HeUniform', 'RandomUniform', 'RandomNormal', 'TruncatedNormal', 'VarianceScaling'];

export function useFastInitializers(tf: Tf): void {
  // tfjs exports the initialiser classes only as types; take Zeros from an instance.
  const Zeros = tf.initializers.zeros().constructor as unknown as new () => object;
  for (const className of SLOW_INITIALIZERS) {
    const ZeroFill = class extends Zeros {
      static className = className;
    };
    tf.serialization.registerClass(ZeroFill as unknown as Ctor);
  }
}
