import COpenSSL
// SluicePolicy: see shared/DESIGN.md §3. Filled in by its issue.
func opensslVersion() -> UInt { OpenSSL_version_num() }
