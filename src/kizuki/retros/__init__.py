"""Retrospectives: templates, documents pre-filled from the incident, reviews, the policy that
asks for them, exports."""
