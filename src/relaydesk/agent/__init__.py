"""The AI agent: decides answer / handoff / abstain and composes grounded answers with sources.

from relaydesk.agent import build_agent
agent = build_agent(settings, db)
reply = agent.respond("how do I reset my password?")
reply.action, reply.answer, reply.sources
"""

from relaydesk.agent.agent import Agent, build_agent
from relaydesk.agent.reply import Action, AgentReply, Source

__all__ = ["Action", "Agent", "AgentReply", "Source", "build_agent"]
