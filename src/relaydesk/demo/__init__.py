"""relaydesk demo: the sample knowledge base and the product page that embeds the messenger."""
