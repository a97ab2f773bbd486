"""The tests' helpers, each written once: daemons and servers (daemons), the served site
(sites), users and sign-in (users), waiting with a deadline (waiting), the Kubernetes
manifests rendered (manifests), Prometheus reads (prometheus), the alert rules (alert_rules),
cache probes (caches), signal capture (signals), escaped secrets (escapes), every ordering of
two requests (interleavings), and the minimal projects of the portable apps (standalone).
No test module imports another, or a conftest.py."""
