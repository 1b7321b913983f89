// Preloaded into the server of the memory benchmark only (`node --expose-gc --import …`): on
// SIGUSR2 it runs a full garbage collection, so that the RSS read right after counts what the
// server retains rather than garbage that the next collection would free.
process.on('SIGUSR2', () => globalThis.gc?.());
