// Preloaded (`--import`) into every process `npm run start:distributed` starts: when the launcher goes
// away without stopping its children (killed with SIGKILL, its terminal closed), the IPC channel closes
// and the child stops itself through its own SIGTERM handler, so no orphan keeps a port or a pool open.
if (process.send) process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
export {};
