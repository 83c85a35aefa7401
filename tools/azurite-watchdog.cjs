// Preloaded into Azurite (node -r tools/azurite-watchdog.cjs azurite.js ...) by KamFlows.DevStorage.EmbeddedAzurite.
// Azurite keeps its metadata (tables, queue messages, blob and extent records) in LokiJS databases in memory and saves
// each whole database to disk every 5 s; a write Azurite answered lives only in memory until the next save.
// Invariants:
// - every Loki database Azurite keeps on disk is registered here when Azurite creates it;
// - this process exits on its own only after every registered database was saved completely, after the last write
//   Azurite answered: when the parent (the KamFlows host) is gone (its end of our standard input closes, the
//   "lifeline", and a poll of its pid as a fallback), when the parent asks by closing the lifeline, and on SIGINT,
//   SIGTERM and SIGHUP. A failed save is reported and exits with code 1;
// - with a lifeline, the host decides when Azurite stops: Ctrl+C or a service manager signals the whole process
//   group, and the host still needs storage while it shuts down, so a signal only starts a grace period
//   (KAMFLOWS_SIGNAL_GRACE_MS, 60 s) that the lifeline's end cuts short; Azurite's own SIGINT/SIGTERM handlers, which
//   would close its servers at once, are not installed;
// - once stopping, Azurite's servers answer every new request 503 (nothing new is acknowledged), and the databases are
//   saved again until no request still in progress changed them;
// - a save writes a temporary file, flushes it to the disk (fsync), renames it over the database and flushes the
//   folder, so a crash of the machine leaves the previous or the new database, never a torn one;
// - output to a parent that died never crashes the save (EPIPE on stdout/stderr is ignored);
// - what this does not cover: a SIGKILL (or OOM kill) of this process, or a power loss, loses the writes Azurite
//   answered since its last save (up to 5 s), because Azurite does not write to disk before it answers.
'use strict';
const fs = require('fs');
const http = require('http');
const path = require('path');

const parentPid = Number(process.env.KAMFLOWS_PARENT_PID || 0);
const lifeline = process.env.KAMFLOWS_LIFELINE === 'stdin';
const signalGraceMs = Number(process.env.KAMFLOWS_SIGNAL_GRACE_MS || 60000);
const databases = new Set();
const servers = new Set();
let stopping = false;

// A parent that died leaves broken pipes behind: a write to them must not end the process before the save.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', () => {});
}

function say(message) {
  try {
    process.stderr.write(`KamFlows watchdog: ${message}\n`);
  } catch {
    // Nobody is listening any more.
  }
}

// The same lokijs module instance Azurite will load (resolved from Azurite's own folder).
function loadLoki() {
  const azuriteMain = process.argv[1];
  if (!azuriteMain) {
    return null;
  }
  try {
    return require(require.resolve('lokijs', { paths: [path.dirname(azuriteMain)] }));
  } catch (err) {
    say(`cannot load lokijs next to ${azuriteMain}: ${err.message}`);
    return null;
  }
}

function fsyncFolder(folder, callback) {
  // Makes the rename durable; folders cannot be opened for fsync on Windows, where rename is durable enough.
  fs.open(folder, 'r', (openErr, fd) => {
    if (openErr) {
      callback();
      return;
    }
    fs.fsync(fd, () => fs.close(fd, () => callback()));
  });
}

// Replaces LokiFsAdapter.saveDatabase (writeFile + rename, no flush) with a version that reaches the disk.
function durableSaveDatabase(dbname, dbstring, callback) {
  const temporary = dbname + '~';
  fs.open(temporary, 'w', (openErr, fd) => {
    if (openErr) {
      callback(openErr);
      return;
    }
    fs.writeFile(fd, dbstring, (writeErr) => {
      const finish = (err) => fs.close(fd, (closeErr) => {
        if (err || closeErr) {
          callback(err || closeErr);
          return;
        }
        fs.rename(temporary, dbname, (renameErr) => {
          if (renameErr) {
            callback(renameErr);
            return;
          }
          fsyncFolder(path.dirname(dbname), () => callback(null));
        });
      });
      if (writeErr) {
        finish(writeErr);
        return;
      }
      fs.fsync(fd, finish);
    });
  });
}

const Loki = loadLoki();
if (Loki) {
  // Loki calls autosaveEnable from its constructor for every database Azurite persists (persistenceMethod "fs").
  const autosaveEnable = Loki.prototype.autosaveEnable;
  Loki.prototype.autosaveEnable = function registerThenAutosave(...args) {
    databases.add(this);
    return autosaveEnable.apply(this, args);
  };
  if (Loki.LokiFsAdapter) {
    Loki.LokiFsAdapter.prototype.saveDatabase = durableSaveDatabase;
  }
}

// Azurite's three HTTP servers, so stopping can refuse new requests.
const listen = http.Server.prototype.listen;
http.Server.prototype.listen = function registerThenListen(...args) {
  servers.add(this);
  return listen.apply(this, args);
};

function refuseNewRequests() {
  for (const server of servers) {
    server.removeAllListeners('request');
    server.on('request', (req, res) => {
      res.statusCode = 503;
      res.setHeader('Connection', 'close');
      res.end();
    });
    server.close(() => {});
  }
}

function saveOnce(db) {
  // Loki's throttled saves queue this behind a save in progress and then serialize the state as it is now.
  return new Promise((resolve, reject) => db.saveDatabase((err) => (err ? reject(err) : resolve())));
}

async function saveAll() {
  for (const db of databases) {
    db.autosaveDisable();
  }
  await Promise.all([...databases].map(saveOnce));
  // A request Azurite was still handling may have changed a database while it was being written: save until none has.
  for (let round = 0; round < 20 && [...databases].some((db) => db.autosaveDirty()); round++) {
    await Promise.all([...databases].filter((db) => db.autosaveDirty()).map(saveOnce));
  }
}

function saveAndExit(reason) {
  if (stopping) {
    return;
  }
  stopping = true;
  refuseNewRequests();
  say(`${reason}: saving ${databases.size} database(s) before exit`);
  saveAll().then(
    () => process.exit(0),
    (err) => {
      say(`saving failed, data since the last save may be lost: ${err && err.stack ? err.stack : err}`);
      process.exit(1);
    });
}

if (parentPid > 0) {
  setInterval(() => {
    try {
      process.kill(parentPid, 0);
    } catch {
      saveAndExit(`parent process ${parentPid} is gone`);
    }
  }, 500).unref();
}

if (lifeline) {
  // The parent holds the other end of our standard input: it closes when the parent exits, however it exits.
  process.stdin.on('end', () => saveAndExit('the host closed the lifeline'));
  process.stdin.on('error', () => saveAndExit('the lifeline broke'));
  process.stdin.on('data', () => {});
  process.stdin.resume();

  // Azurite registers process.once('SIGINT'|'SIGTERM', close servers): the lifeline's end takes that role.
  const once = process.once;
  process.once = function onceUnlessStopSignal(event, listener) {
    if (event === 'SIGINT' || event === 'SIGTERM') {
      return this;
    }
    return once.call(this, event, listener);
  };
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (!lifeline) {
      saveAndExit(signal);
      return;
    }
    say(`${signal}: serving until the host closes the lifeline, at most ${signalGraceMs} ms`);
    setTimeout(() => saveAndExit(`${signal} and no lifeline end within ${signalGraceMs} ms`), signalGraceMs);
  });
}
