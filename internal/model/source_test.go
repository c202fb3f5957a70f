package model

import (
	"strings"
	"testing"
	"time"
)

func TestPollTrouble(t *testing.T) {
	next := time.Date(2026, 3, 14, 15, 0, 0, 0, time.FixedZone("CET", 3600))
	for _, tc := range []struct {
		s    Source
		want string
	}{
		{Source{}, ""},
		{Source{Failures: 3, NextPoll: &next}, ""}, // the last poll worked
		{Source{LastError: "HTTP 503", Failures: 1}, "HTTP 503"},
		{Source{LastError: "HTTP 503", Failures: 1, NextPoll: &next}, "HTTP 503; next poll 2026-03-14 14:00"},
		{Source{LastError: "timeout", Failures: 4, NextPoll: &next}, "timeout (4 failed polls in a row); next poll 2026-03-14 14:00"},
	} {
		if got := tc.s.PollTrouble("2006-01-02 15:04"); got != tc.want {
			t.Errorf("PollTrouble(%+v) = %q; want %q", tc.s, got, tc.want)
		}
	}
}

func TestValidRole(t *testing.T) {
	for r, want := range map[string]bool{"": true, RoleWire: true, RoleAggregator: true, RoleOutlet: true, "Wire": false, "blog": false, "none": false} {
		if got := ValidRole(r); got != want {
			t.Errorf("ValidRole(%q) = %v; want %v", r, got, want)
		}
	}
}

func TestCheckSourceName(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"BBC News", true},
		{"Агентство «Интерфакс»", true},
		{strings.Repeat("n", MaxSourceName), true},
		{strings.Repeat("é", MaxSourceName), true},
		{"", false},
		{"   ", false},
		{strings.Repeat("n", MaxSourceName+1), false},
		{"BBC\nNews", false},
		{"BBC\x00", false},
	}
	for _, tc := range tests {
		if err := CheckSourceName(tc.name); (err == nil) != tc.ok {
			t.Errorf("CheckSourceName(%.20q) = %v; want ok %v", tc.name, err, tc.ok)
		}
	}
}
