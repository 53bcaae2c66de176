// SluiceConfig: see shared/DESIGN.md §3. Filled in by its issue.
