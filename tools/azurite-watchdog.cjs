// Preloaded into Azurite (node -r): ends it when the .NET process that started it is gone, even after SIGKILL.
const parent = Number(process.env.KAMFLOWS_PARENT_PID || 0);
if (parent > 0) {
  setInterval(() => {
    try { process.kill(parent, 0); } catch { process.exit(0); }
  }, 500).unref();
}
