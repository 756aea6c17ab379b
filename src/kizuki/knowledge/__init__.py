"""Knowledge: one search across incidents, timelines, status updates and retrospectives, and
similar past incidents."""
