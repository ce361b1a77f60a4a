// ReadScope: one read transaction for the length of a scope (one verification), on a
// CertificateCache or a ScanLog. Every lookup outside a transaction is its own read
// transaction in SQLite (file locks, WAL read mark, several system calls); inside one they
// share a single lock/unlock and see one consistent snapshot. The scope ends only the
// transaction it began, so nesting is harmless; if beginning fails, lookups simply run in
// their own transactions as before (slower, still correct, and the lookup reports any
// real failure). The next scope sees everything committed meanwhile.
#pragma once

namespace mengscan::sync {

template <class Source>  // CertificateCache or ScanLog: beginRead(), endRead(), inRead()
class ReadScope {
public:
    explicit ReadScope(Source* source)
        : source_(source != nullptr && !source->inRead() && source->beginRead() ? source
                                                                                : nullptr) {}
    ~ReadScope() {
        if (source_ != nullptr) source_->endRead();
    }
    ReadScope(const ReadScope&) = delete;
    ReadScope& operator=(const ReadScope&) = delete;

private:
    Source* source_;  // null when this scope began nothing
};

}  // namespace mengscan::sync
