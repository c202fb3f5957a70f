package extract

import (
	"strings"
	"testing"
)

func TestCleanLineRules(t *testing.T) {
	tests := []struct {
		name   string
		line   string
		reason string // "" means kept
	}{
		{"comments closed", "Comments are closed.", ReasonKnownPhrase},
		{"leave a reply", "Leave a Reply", ReasonKnownPhrase},
		{"akismet", "This site uses Akismet to reduce spam. Learn how your comment data is processed.", ReasonKnownPhrase},
		{"sign up wall", "Sign up to read this article", ReasonKnownPhrase},
		{"already member", "Already a member? Sign in here", ReasonKnownPhrase},
		{"related", "Related Stories", ReasonKnownPhrase},
		{"copyright", "© 2022, GDC. All material is protected.", ReasonCopyright},
		{"agency credit", "© AFP", ReasonCredit},
		{"bare agency", "Reuters", ReasonCredit},
		{"caption via", "Ukraine's President at a briefing (via REUTERS)", ReasonCaption},
		{"caption getty", "People gather in the square (Anadolu Agency via Getty Images)", ReasonCaption},
		{"caption slash credit", "Sailors attend a memorial in Sevastopol, March 23, 2022. REUTERS/Alexey Pavlishak", ReasonCaption},
		{"photo prefix", "Photo: Jane Smith", ReasonCredit},
		{"tracking code", "ttn-42", ReasonTracking},
		// Article sentences that mention agencies, comments or copyright stay.
		{"AP team sentence", "An Associated Press team reported seeing 18 bodies of Russian soldiers.", ""},
		{"AP interview", "In an interview today with The Associated Press, the president of the company said the reactors could restart.", ""},
		{"comment in prose", "The ministry declined to comment on the report, which was published on Monday.", ""},
		{"subscription in prose", "Subscriptions to the service rose by 30% last year, the company said in a filing.", ""},
		{"year alone", "2022", ""},
		{"subheading", "We Don't Abandon Our Own", ""},
		{"quote ending in paren", "“The Russians have nowhere to run,” he said.", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Surround the line with prose so header and footer rules do
			// not apply: this tests the line rules alone.
			prose := "This is an ordinary sentence of the article that keeps going for a while."
			text := prose + "\n\n" + tc.line + "\n\n" + prose + " Another one."
			c := Clean(text, CleanOptions{Body: true})
			got := ""
			for _, r := range c.Removed {
				if r.Text == tc.line {
					got = r.Reason
				}
			}
			if got != tc.reason {
				t.Errorf("Clean removed %q with reason %q; want %q", tc.line, got, tc.reason)
			}
			if tc.reason == "" && !strings.Contains(c.Text(), tc.line) {
				t.Errorf("Clean dropped %q from the text", tc.line)
			}
		})
	}
}

func TestCleanHeaderAndFooter(t *testing.T) {
	text := strings.Join([]string{
		"Get all your news in one place.",
		"Start reading",
		"The Daily Example",
		"The Daily Example",
		"World",
		"Jane Doe",
		"",
		"Flooding cuts off three villages in the north",
		"",
		"Heavy rain on Sunday cut off three villages in the north of the province, officials said.",
		"",
		"Rescue teams reached the villages by boat on Monday morning, and no one was hurt.",
		"",
		"He was 85.",
		"",
		"Sign up to read this article",
		"Read news from hundreds of titles, curated specifically for you.",
		"Weekend reading list",
		"Download the app",
	}, "\n")
	c := Clean(text, CleanOptions{})
	if c.Title != "Flooding cuts off three villages in the north" {
		t.Errorf("Title = %q", c.Title)
	}
	if c.Author != "Jane Doe" {
		t.Errorf("Author = %q; want Jane Doe", c.Author)
	}
	want := []string{
		"Heavy rain on Sunday cut off three villages in the north of the province, officials said.",
		"Rescue teams reached the villages by boat on Monday morning, and no one was hurt.",
		"He was 85.",
	}
	if got := c.Paragraphs; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Paragraphs =\n%q\nwant\n%q", got, want)
	}
	reasons := map[int]string{}
	for _, r := range c.Removed {
		reasons[r.Line] = r.Reason
	}
	for line, reason := range map[int]string{1: ReasonKnownPhrase, 3: ReasonHeader, 4: ReasonDuplicate, 5: ReasonHeader, 6: ReasonByline, 17: ReasonKnownPhrase, 18: ReasonFooter, 19: ReasonKnownPhrase} {
		if reasons[line] != reason {
			t.Errorf("line %d removed as %q; want %q", line, reasons[line], reason)
		}
	}
	if _, ok := reasons[8]; ok {
		t.Errorf("the title line is listed as removed boilerplate")
	}
}

func TestCleanTitleFromProse(t *testing.T) {
	text := "There is more evidence today that the dam was failing for weeks before it burst, engineers said on Tuesday. Residents had complained.\nA second paragraph follows here and it is long enough to be prose."
	c := Clean(text, CleanOptions{})
	if c.Title != "There is more evidence today that the dam was failing for weeks before it burst, engineers said on Tuesday." {
		t.Errorf("Title = %q; want the first sentence", c.Title)
	}
	if len(c.Paragraphs) != 2 {
		t.Errorf("got %d paragraphs; want 2 (a prose first line stays in the text)", len(c.Paragraphs))
	}
}

func TestCleanUnwrapsHardWrappedText(t *testing.T) {
	text := "A title\n\nThe committee met on Thursday to discuss the budget for the coming\nyear, and agreed to raise spending on roads.\n\nA second paragraph."
	c := Clean(text, CleanOptions{})
	if len(c.Paragraphs) != 2 || !strings.Contains(c.Paragraphs[0], "coming year") {
		t.Errorf("Paragraphs = %q; want the wrapped lines joined", c.Paragraphs)
	}
}

func TestCleanRepeatedInSource(t *testing.T) {
	text := "Flood title here\n\nThe river rose two metres overnight and flooded the old town, the mayor said.\n\nFollow the Gazette on Mastodon\n\nWater levels are expected to fall by Friday, forecasters said on Wednesday."
	rep := func(l string) bool { return l == "Follow the Gazette on Mastodon" }
	c := Clean(text, CleanOptions{Repeated: rep})
	if strings.Contains(c.Text(), "Mastodon") {
		t.Errorf("repeated source line kept: %q", c.Text())
	}
	found := false
	for _, r := range c.Removed {
		found = found || r.Reason == ReasonRepeated
	}
	if !found {
		t.Errorf("no %s removal recorded: %+v", ReasonRepeated, c.Removed)
	}
}

func TestTitleFromParagraphLong(t *testing.T) {
	p := strings.Repeat("ünïcödé wörds ", 30) // no sentence end, multi-byte
	got := titleFromParagraph(p)
	if n := len([]rune(got)); n > 141 || !strings.HasSuffix(got, "…") {
		t.Errorf("titleFromParagraph(long) = %q (%d runes); want ≤ 141 runes ending in …", got, n)
	}
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{"", "a", "Title\n\nBody sentence here that is long enough to count as prose.\n\nComments are closed.", "---\n©\n\n(via X)", strings.Repeat("ü ", 200)} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, body bool) {
		c := Clean(s, CleanOptions{Body: body})
		for _, p := range c.Paragraphs {
			if strings.TrimSpace(p) == "" {
				t.Fatalf("empty paragraph from %q", s)
			}
		}
		for _, r := range c.Removed {
			if r.Line < 1 || r.Reason == "" {
				t.Fatalf("bad removal %+v", r)
			}
		}
	})
}

// FuzzKnownAnywhereHints: every line knownAnywhere matches passes the
// hint check that runs before it, so the check only saves time.
func FuzzKnownAnywhereHints(f *testing.F) {
	for _, s := range []string{"© 2024 Meridian Wire. All Rights Reserved.", "UNAUTHORISED REPRODUCTION is prohibited", "Please enable JavaScript to view the comments",
		"Support Independent Journalism today", "Turn off your Ad Blocker", "Learn how your comment data is processed", "This site uses Akismet to reduce spam.",
		"without express and written permission", "Premium titles curated specifically for you", "ALL RIGHTſ RESERVED", "a plain line of prose"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if knownAnywhere.MatchString(s) && !mayBeKnownAnywhere(s) {
			t.Fatalf("knownAnywhere matches %q, but the hints rule it out", s)
		}
	})
}

// FuzzIsCaption: isCaption's checks before its expressions rule out no
// line either expression matches.
func FuzzIsCaption(f *testing.F) {
	for _, s := range []string{"Rescuers search the rubble (Photo: Reuters).", "The port at dawn (Getty Images)", "Smoke over the city. REUTERS/Jane Doe",
		"A crowd gathers (via social media)", "AP Photo / Some Name.", "(AFP) )", "a plain line of prose", "(FILE PHOTO)\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if want := captionParen.MatchString(s) || captionSlash.MatchString(s); isCaption(s) != want {
			t.Fatalf("isCaption(%q) = %v; the expressions say %v", s, !want, want)
		}
	})
}

func TestCleanSourceNameIsNotByline(t *testing.T) {
	text := "Daily Beacon\nWorld\n\nHORROR AT SEA: ferry flips in storm\n\nA passenger ship overturned in stormy waters off the island early on Saturday, officials said."
	if c := Clean(text, CleanOptions{Source: "Daily Beacon"}); c.Author != "" {
		t.Errorf("Author = %q; want none (the line is the outlet's name)", c.Author)
	}
	if c := Clean(text, CleanOptions{}); c.Author != "Daily Beacon" {
		t.Errorf("without the source known, Author = %q; want the name-shaped line", c.Author)
	}
}
