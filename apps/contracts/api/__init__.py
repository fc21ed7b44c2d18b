"""HTTP resources for pacts, publishing and integrations (Pact Broker compatible)."""
