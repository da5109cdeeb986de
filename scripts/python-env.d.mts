/** Types of python-env.mjs (the Keras 3 environment for the Python export tests). */
export const REQUIREMENTS: string;
export const INSTALL_COMMAND: string;
export function venvDir(env?: NodeJS.ProcessEnv): string;
export function venvPython(dir?: string): string;
export function findPython(env?: NodeJS.ProcessEnv): string;
export function ensurePython(opts?: { env?: NodeJS.ProcessEnv; log?: (line: string) => void }): string;
