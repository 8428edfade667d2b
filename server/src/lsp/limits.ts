// Limits shared by the analysis host (main thread) and the worker, in a module of their own
// so that neither has to load the other.

/** Documents larger than this are not analysed (one diagnostic says so), open or closed. */
export const MAX_DOCUMENT_CHARS = 10 * 1024 * 1024;
