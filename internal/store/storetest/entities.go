package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/crosscheck-news/crosscheck/internal/model"
	"github.com/crosscheck-news/crosscheck/internal/store"
)

func testEntities(t *testing.T, s store.Store) {
	ctx := context.Background()
	put := func(key string, story int64, ms ...model.NameMention) *model.Article {
		t.Helper()
		a := article(key, day(10))
		w := store.ArticleWrite{Article: a, Mentions: ms, Story: &store.StoryWrite{Assignment: model.Assignment{Story: story, Via: model.ViaNew},
			Vector: map[string]float64{"x": 1}, Terms: []string{"x"}}}
		if _, err := s.PutArticle(ctx, w); err != nil {
			t.Fatal(err)
		}
		return a
	}
	zel := model.NameMention{Name: "Volodymyr Zelensky", Role: "President", Type: model.EntityPerson, Start: 0, End: 18, Key: "p:v zlnsk"}
	nato := model.NameMention{Name: "NATO", Type: model.EntityOrg, Start: 20, End: 24, Key: "o:nato"}
	a := put("e1", 0, zel, nato)
	short := model.NameMention{Name: "Zelenskiy", Type: model.EntityPerson, Start: 0, End: 9, Key: "p:v zlnsk"}
	b := put("e2", a.Story, short)

	keys, err := s.StoryEntityKeys(ctx, a.Story)
	if err != nil || len(keys) != 2 || keys[0] != "o:nato" || keys[1] != "p:v zlnsk" {
		t.Errorf("StoryEntityKeys = %v, %v", keys, err)
	}
	es, err := s.StoryEntities(ctx, a.Story)
	if err != nil || len(es) != 2 || es[0].Name != "Volodymyr Zelensky" || len(es[0].Articles) != 2 || len(es[0].Aliases) != 2 ||
		len(es[0].Roles) != 1 || es[0].Roles[0] != "President" {
		t.Fatalf("StoryEntities = %+v, %v", es, err)
	}
	zid, natoID := es[0].ID, es[1].ID
	ms, err := s.ArticleMentions(ctx, a.ID)
	if err != nil || len(ms) != 2 || ms[0].Entity != zid || ms[0].Start != 0 || ms[0].End != 18 || ms[1].Name != "NATO" || ms[1].Type != model.EntityOrg {
		t.Errorf("ArticleMentions = %+v, %v", ms, err)
	}
	top, err := s.TopEntities(ctx, "", 10, 0)
	if err != nil || len(top) != 2 || top[0].Entity.ID != zid || top[0].Articles != 2 || top[1].Articles != 1 {
		t.Errorf("TopEntities = %+v, %v", top, err)
	}
	if orgs, _ := s.TopEntities(ctx, model.EntityOrg, 10, 0); len(orgs) != 1 || orgs[0].Entity.Name != "NATO" {
		t.Errorf("TopEntities(org) = %+v", orgs)
	}
	if page2, _ := s.TopEntities(ctx, "", 1, 1); len(page2) != 1 || page2[0].Entity.ID != natoID {
		t.Errorf("TopEntities page 2 = %+v", page2)
	}
	n := 0
	if err := s.EachEntity(ctx, func(*model.Entity) error { n++; return nil }); err != nil || n != 2 {
		t.Errorf("EachEntity saw %d, %v", n, err)
	}
	// An analyst's alias: mentions so spelled move, and it is looked up.
	if err := s.SetAlias(ctx, "Zelenskiy", natoID); err != nil {
		t.Fatal(err)
	}
	got, _ := s.GetEntity(ctx, natoID)
	if len(got.Articles) != 2 || got.Articles[1] != b.ID {
		t.Errorf("after the alias, NATO's articles = %v; want the Zelenskiy mention moved", got.Articles)
	}
	ak, err := s.AliasKeys(ctx, []string{"zelenskiy", "volodymyr zelensky"})
	if err != nil || len(ak) != 1 || ak["zelenskiy"] != "o:nato" {
		t.Errorf("AliasKeys = %v, %v; only analysts' aliases count", ak, err)
	}
	// Merge: the merged entity resolves to the survivor, later mentions
	// of its key follow.
	if err := s.MergeEntities(ctx, zid, natoID); err != nil {
		t.Fatal(err)
	}
	if e, err := s.GetEntity(ctx, natoID); err != nil || e.ID != zid {
		t.Errorf("GetEntity(merged) = %+v, %v; want the survivor", e, err)
	}
	c := put("e3", a.Story, nato)
	if e, _ := s.GetEntity(ctx, zid); len(e.Articles) != 3 || e.Articles[2] != c.ID {
		t.Errorf("a later mention of the merged key went elsewhere: %v", e.Articles)
	}
	for _, bad := range [][2]int64{{zid, zid}, {zid, natoID}, {zid, 999}} {
		if err := s.MergeEntities(ctx, bad[0], bad[1]); err == nil {
			t.Errorf("MergeEntities(%d, %d) accepted", bad[0], bad[1])
		}
	}
	if err := s.SetAlias(ctx, "x", 999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SetAlias to an unknown entity = %v", err)
	}
	if _, err := s.GetEntity(ctx, 999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetEntity(999) = %v", err)
	}

	// A long story: only its latest StoryEntityWindow articles count.
	old := put("w0", 0, model.NameMention{Name: "Ada Oldname", Type: model.EntityPerson, Start: 0, End: 11, Key: "p:a oldnm"})
	for i := 1; i <= store.StoryEntityWindow+1; i++ {
		ms := []model.NameMention{{Name: "Bo Recent", Type: model.EntityPerson, Start: 0, End: 9, Key: "p:b rcnt"}}
		if i == 1 {
			ms = append(ms, model.NameMention{Name: "Ada Oldname", Type: model.EntityPerson, Start: 10, End: 21, Key: "p:a oldnm"})
		}
		a := article(fmt.Sprintf("w%d", i), day(10))
		a.IngestedAt = a.IngestedAt.Add(time.Duration(i) * time.Minute)
		w := store.ArticleWrite{Article: a, Mentions: ms, Story: &store.StoryWrite{Assignment: model.Assignment{Story: old.Story, Via: model.ViaNew},
			Vector: map[string]float64{"x": 1}, Terms: []string{"x"}}}
		if _, err := s.PutArticle(ctx, w); err != nil {
			t.Fatal(err)
		}
		keys, err := s.StoryEntityKeys(ctx, old.Story)
		want := []string{"p:a oldnm", "p:b rcnt"}
		if i == store.StoryEntityWindow+1 {
			// w0 and w1, the two that named Ada, have fallen out.
			want = want[1:]
		}
		if err != nil || !cmp.Equal(keys, want) {
			t.Fatalf("after %d more articles, StoryEntityKeys = %v, %v; want %v", i, keys, err, want)
		}
	}
}
