"""Forms of the agents' back office: queue filters, ticket actions, the phone form."""
