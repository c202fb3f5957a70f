package claim

import (
	"strings"
	"testing"

	"github.com/crosscheck-news/crosscheck/internal/model"
)

func TestOverride(t *testing.T) {
	s := Sheet{Groups: []Group{
		{ID: "1-rescued", Status: Corroborated, Rule: "two lineages agree"},
		{ID: "1-killed", Status: Conflicting, Rule: "conflict"},
	}, Unique: map[string][]Group{"L1": {{ID: "1-killed", Status: Conflicting}}}}
	s.Override([]model.ClaimOverride{
		{Group: "1-killed", Status: Updated, Who: "Dana", Why: "the wire revised it"},
		{Group: "1-gone", Status: Conflicting, Who: "Eli"}, // no such group: ignored
	})
	var killed Group
	for _, g := range s.Groups {
		if g.ID == "1-killed" {
			killed = g
		}
	}
	if killed.Status != Updated || killed.Computed != Conflicting || !strings.Contains(killed.Rule, "Dana") || !strings.Contains(killed.Rule, "revised") {
		t.Errorf("overridden group = %+v", killed)
	}
	if s.Groups[0].ID != "1-killed" {
		t.Errorf("order = %s, %s; updates still come before corroborated facts", s.Groups[0].ID, s.Groups[1].ID)
	}
	if s.Unique["L1"][0].Status != Updated {
		t.Errorf("unique additions keep the computed status: %+v", s.Unique["L1"][0])
	}
	if s.Groups[1].Computed != "" || s.Groups[1].Status != Corroborated {
		t.Errorf("a group without an override changed: %+v", s.Groups[1])
	}
}
