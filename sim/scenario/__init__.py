"""Scenarios: what an operator can set, with every default in one place, read from YAML and
validated with errors that name the file, the field path, the value given and what is allowed.

Layer 1 of the package (nothing here imports any other part of ``sim``): the schema
(``community``, ``strategy``, ``behaviour`` sections and the ``Scenario`` that holds them), the
field machinery (``fields``), loading (``loading``, ``edge_list``) and the shipped library
(``catalog``).
"""

from .behaviour import Behaviour
from .catalog import default_scenario, scenarios_dir, shipped_scenarios
from .community import Community, Motivation, Network, RoleMix
from .changes import check_levers, check_trigger, with_levers
from .edge_list import read_edge_list
from .errors import ScenarioError
from .fields import (CLEANUP_RULES, ENTRY_KINDS, EVENT_KINDS, MOTIVES, NETWORK_KINDS, ROLES, TRIGGER_ACTIONS,
                     TRIGGER_METRICS, set_path)
from .loading import FIT_SCENARIO, NAME_LIMIT, check_name, existing_file, load_scenario, read_yaml, scenario_file
from .schema import Scenario, scenario_field_docs, scenario_from_dict
from .events import EventProfile, EventProfiles
from .strategy import (Campaign, Cleanup, Content, Entry, Event, Perks, Recruiting, Rewards, Selling, Staffing, Step,
                       Strategy, Trigger)

__all__ = [
    "Behaviour", "CLEANUP_RULES", "FIT_SCENARIO", "scenario_file", "NAME_LIMIT", "check_name", "Campaign", "Cleanup", "Community", "Content", "ENTRY_KINDS", "EVENT_KINDS",
    "Entry", "Event", "existing_file", "MOTIVES", "Motivation", "NETWORK_KINDS", "Network", "Perks", "ROLES", "Recruiting",
    "Rewards", "RoleMix", "Scenario", "ScenarioError", "Selling", "Staffing", "Strategy", "EventProfile", "EventProfiles", "default_scenario", "load_scenario",
    "read_edge_list", "read_yaml", "scenario_field_docs", "scenario_from_dict", "scenarios_dir", "set_path",
    "shipped_scenarios", "Step", "Trigger", "TRIGGER_ACTIONS", "TRIGGER_METRICS", "with_levers", "check_levers", "check_trigger",
]
