"""The use-cases both front ends (JSON API and pages) call: verify, check a text, file a report, log in, a report's detail."""
