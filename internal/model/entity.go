package model

import "time"

// Entity types.
const (
	EntityPerson = "person"
	EntityOrg    = "organisation"
	EntityPlace  = "place"
	EntityOther  = "other" // a named thing of no known type: a ship, an event
)

// NameMention is a name in an article: "coast guard spokesman Nikos
// Alexiou" is the person "Nikos Alexiou" with the role "coast guard
// spokesman".
type NameMention struct {
	Name string
	Role string
	Type string
	// Start and End are rune offsets of the name in the article's text.
	Start, End int
	// Key is the entity the mention resolves to (see internal/entity).
	Key string
}

// Entity is a person, organisation or place named across articles, with
// the spellings it goes by.
type Entity struct {
	ID       int64
	Key      string
	Name     string
	Type     string
	Aliases  []string
	Roles    []string
	Articles []string
}

// PlaceMention is a place named in an article, resolved to the gazetteer.
type PlaceMention struct {
	Article string
	// Start and End are rune offsets in the article's text.
	Start, End int
	Text       string
	// PlaceID is the gazetteer entry: a GeoNames ID, or "ADM1:US.OH",
	// "PCLI:US" for divisions and countries.
	PlaceID    string
	GeonamesID int64
	Name       string
	Lat, Lon   float64
	Country    string
	Admin1     string
	// Precision is "point", "region" or "country".
	Precision string
}

// DateMention is a time expression in an article, resolved against its
// publication date.
type DateMention struct {
	Article    string
	Start, End int
	Text       string
	// Value is the day it points to (the first of its week, month or
	// year); nil when it is relative to another event or the article is
	// undated.
	Value *time.Time
	// Precision is "day", "week", "month", "year", or "" when unresolved.
	Precision string
}
