#include "fault_vfs.hpp"

#include <sqlite3.h>

#include <atomic>
#include <cstring>

namespace mengscan::test {
namespace {

std::atomic<int> gWritesLeft{-1};
std::atomic<int> gErrorCode{SQLITE_FULL};
std::atomic<int> gAttempted{0};
sqlite3_vfs* gReal = nullptr;
sqlite3_vfs gVfs;

struct FaultFile {
    sqlite3_file base;
    sqlite3_file* real;  // allocated right after this struct
};

sqlite3_file* real(sqlite3_file* f) {
    return reinterpret_cast<FaultFile*>(f)->real;
}

int xClose(sqlite3_file* f) {
    const int rc = real(f)->pMethods ? real(f)->pMethods->xClose(real(f)) : SQLITE_OK;
    return rc;
}
int xRead(sqlite3_file* f, void* p, int n, sqlite3_int64 off) {
    return real(f)->pMethods->xRead(real(f), p, n, off);
}
int xWrite(sqlite3_file* f, const void* p, int n, sqlite3_int64 off) {
    ++gAttempted;
    int left = gWritesLeft.load();
    if (left == 0) return gErrorCode.load();
    if (left > 0) gWritesLeft.store(left - 1);
    return real(f)->pMethods->xWrite(real(f), p, n, off);
}
int xTruncate(sqlite3_file* f, sqlite3_int64 size) {
    return real(f)->pMethods->xTruncate(real(f), size);
}
int xSync(sqlite3_file* f, int flags) {
    return real(f)->pMethods->xSync(real(f), flags);
}
int xFileSize(sqlite3_file* f, sqlite3_int64* size) {
    return real(f)->pMethods->xFileSize(real(f), size);
}
int xLock(sqlite3_file* f, int l) {
    return real(f)->pMethods->xLock(real(f), l);
}
int xUnlock(sqlite3_file* f, int l) {
    return real(f)->pMethods->xUnlock(real(f), l);
}
int xCheckReservedLock(sqlite3_file* f, int* out) {
    return real(f)->pMethods->xCheckReservedLock(real(f), out);
}
int xFileControl(sqlite3_file* f, int op, void* arg) {
    return real(f)->pMethods->xFileControl(real(f), op, arg);
}
int xSectorSize(sqlite3_file* f) {
    return real(f)->pMethods->xSectorSize(real(f));
}
int xDeviceCharacteristics(sqlite3_file* f) {
    return real(f)->pMethods->xDeviceCharacteristics(real(f));
}
int xShmMap(sqlite3_file* f, int region, int size, int extend, void volatile** p) {
    return real(f)->pMethods->xShmMap(real(f), region, size, extend, p);
}
int xShmLock(sqlite3_file* f, int offset, int n, int flags) {
    return real(f)->pMethods->xShmLock(real(f), offset, n, flags);
}
void xShmBarrier(sqlite3_file* f) {
    real(f)->pMethods->xShmBarrier(real(f));
}
int xShmUnmap(sqlite3_file* f, int del) {
    return real(f)->pMethods->xShmUnmap(real(f), del);
}
int xFetch(sqlite3_file* f, sqlite3_int64 off, int n, void** p) {
    return real(f)->pMethods->xFetch(real(f), off, n, p);
}
int xUnfetch(sqlite3_file* f, sqlite3_int64 off, void* p) {
    return real(f)->pMethods->xUnfetch(real(f), off, p);
}

const sqlite3_io_methods kMethods = {3,
                                     xClose,
                                     xRead,
                                     xWrite,
                                     xTruncate,
                                     xSync,
                                     xFileSize,
                                     xLock,
                                     xUnlock,
                                     xCheckReservedLock,
                                     xFileControl,
                                     xSectorSize,
                                     xDeviceCharacteristics,
                                     xShmMap,
                                     xShmLock,
                                     xShmBarrier,
                                     xShmUnmap,
                                     xFetch,
                                     xUnfetch};

int xOpen(sqlite3_vfs*, const char* name, sqlite3_file* f, int flags, int* outFlags) {
    auto* file = reinterpret_cast<FaultFile*>(f);
    file->real = reinterpret_cast<sqlite3_file*>(file + 1);
    std::memset(file->real, 0, static_cast<size_t>(gReal->szOsFile));
    const int rc = gReal->xOpen(gReal, name, file->real, flags, outFlags);
    // Methods must be set even on failure when the real file has them (SQLite calls xClose).
    file->base.pMethods = file->real->pMethods ? &kMethods : nullptr;
    return rc;
}
int xDelete(sqlite3_vfs*, const char* name, int syncDir) {
    return gReal->xDelete(gReal, name, syncDir);
}
int xAccess(sqlite3_vfs*, const char* name, int flags, int* out) {
    return gReal->xAccess(gReal, name, flags, out);
}
int xFullPathname(sqlite3_vfs*, const char* name, int n, char* out) {
    return gReal->xFullPathname(gReal, name, n, out);
}
void* xDlOpen(sqlite3_vfs*, const char* name) {
    return gReal->xDlOpen(gReal, name);
}
void xDlError(sqlite3_vfs*, int n, char* msg) {
    gReal->xDlError(gReal, n, msg);
}
void (*xDlSym(sqlite3_vfs*, void* h, const char* sym))(void) {
    return gReal->xDlSym(gReal, h, sym);
}
void xDlClose(sqlite3_vfs*, void* h) {
    gReal->xDlClose(gReal, h);
}
int xRandomness(sqlite3_vfs*, int n, char* out) {
    return gReal->xRandomness(gReal, n, out);
}
int xSleep(sqlite3_vfs*, int us) {
    return gReal->xSleep(gReal, us);
}
int xCurrentTime(sqlite3_vfs*, double* t) {
    return gReal->xCurrentTime(gReal, t);
}
int xGetLastError(sqlite3_vfs*, int n, char* s) {
    return gReal->xGetLastError(gReal, n, s);
}
int xCurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* t) {
    return gReal->xCurrentTimeInt64(gReal, t);
}

}  // namespace

const char* faultyVfsName() {
    static const char* const kName = [] {
        gReal = sqlite3_vfs_find(nullptr);
        std::memset(&gVfs, 0, sizeof gVfs);
        gVfs.iVersion = 2;
        gVfs.szOsFile = static_cast<int>(sizeof(FaultFile)) + gReal->szOsFile;
        gVfs.mxPathname = gReal->mxPathname;
        gVfs.zName = "mengscan-faulty";
        gVfs.xOpen = xOpen;
        gVfs.xDelete = xDelete;
        gVfs.xAccess = xAccess;
        gVfs.xFullPathname = xFullPathname;
        gVfs.xDlOpen = xDlOpen;
        gVfs.xDlError = xDlError;
        gVfs.xDlSym = xDlSym;
        gVfs.xDlClose = xDlClose;
        gVfs.xRandomness = xRandomness;
        gVfs.xSleep = xSleep;
        gVfs.xCurrentTime = xCurrentTime;
        gVfs.xGetLastError = xGetLastError;
        gVfs.xCurrentTimeInt64 = xCurrentTimeInt64;
        sqlite3_vfs_register(&gVfs, 0);
        return gVfs.zName;
    }();
    return kName;
}

void failWritesAfter(int writes, int errorCode) {
    gWritesLeft.store(writes);
    gErrorCode.store(errorCode);
    gAttempted.store(0);
}

int writesAttempted() {
    return gAttempted.load();
}

}  // namespace mengscan::test
