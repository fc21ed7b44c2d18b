"""HTTP resources for pacts, publishing, badges and integrations (Pact Broker compatible)."""
