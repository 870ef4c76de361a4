"""Generated demo data at scale (`flask demo generate`): cohorts of trainees with a plausible history,
for load tests, scale benchmarks and trying the trainer pages with realistic numbers."""
