-- wrk: the same wallet-session POST every client sends (the loopback ceiling).
wrk.method = "POST"
wrk.body = '{"BusinessUnitSlug":"acme-utilities","ClientUser":{"EmailAddress":"jane@example.com"}}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Paystar-Api-Key"] = os.getenv("PAYSTAR_BENCH_KEY") or "sk_mock_paystar_0000"
