/**
 * Follow: keep an installation at the newest registry version matching a range. {@link io.bpfstore.agent.follow.FollowRules}
 * holds the rules (a JSON file in the state directory), {@link io.bpfstore.agent.follow.Follower} polls the
 * registry and upgrades through the same gates as install (signature, host policy, kernel fit by loading the new
 * generation beside the old), restoring the previous version when the new one's programs are not running after the
 * swap. A refused version is recorded on its rule with the reason and not tried again until the rule changes or a
 * newer version appears.
 */
package io.bpfstore.agent.follow;
