// A SQLite VFS that forwards to the default one but fails writes after a countdown, to test
// that a full disk or a write error mid-import leaves the old cache intact (after SQLite's
// own test_vfs.c / io-error tests).
#pragma once

namespace mengscan::test {

// Registers the VFS "mengscan-faulty" once (not as default).
const char* faultyVfsName();
// After `writes` more successful writes every write fails with `errorCode` (SQLITE_FULL or
// SQLITE_IOERR_WRITE). -1 = never fail.
void failWritesAfter(int writes, int errorCode);
// Writes attempted since the last failWritesAfter().
int writesAttempted();

}  // namespace mengscan::test
