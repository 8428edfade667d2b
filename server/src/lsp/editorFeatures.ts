// Editor features of the configuration languages (hover, completion, formatting, outline),
// keyed `<language>.<feature>`; each is a pure function of the document text. The worker
// runs them, so a pathological file cannot stall the server's main loop.

export const EDITOR_FEATURES: Record<string, (text: string, ...args: any[]) => unknown> = {};
