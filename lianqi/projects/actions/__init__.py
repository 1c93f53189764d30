"""Every write of key projects, by subject: the portfolio and its stages (`portfolio`), the battle
map's milestones (`milestones`), progress reports and problems (`reports`), and the meeting
cadence with its decisions (`meetings`)."""
