"""Follow-ups: the measures an incident leaves behind, with owners, due dates by severity, a
quality check of how they are written, reminders and issue-tracker sync."""
