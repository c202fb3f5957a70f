package story

import (
	"math"
	"strings"
	"unicode"

	"github.com/crosscheck-news/crosscheck/internal/words"
)

// Term weights by where the term occurs: the headline and the lead say
// what the event is; the rest of the text adds background that other
// events share.
const (
	titleWeight = 3.0
	leadWeight  = 2.0
	bodyWeight  = 1.0
	leadRunes   = 400
	// Names and numbers say which event this is, and outlast
	// translation; topic words ("interest", "climate") are shared by
	// many events.
	nameBoost = 4.0
	numBoost  = 2.0
)

// malayStopwords are the function words of Malay and Indonesian, the
// other Latin-script languages of South-East Asian news.
var malayStopwords = words.Set(strings.Fields(`yang dan di ke dari untuk dengan pada ini itu dalam tidak akan oleh telah sudah
juga kata ada bagi atau lebih selepas sebelum kerana karena menurut mereka beliau kami kita saya ia dia
adalah sebagai serta antara bahawa bahwa tersebut turut masih boleh dapat hanya namun manakala semasa
seorang orang lima ratus ribu juta
hari tahun bulan minggu semalam kelmarin esok baru para pula lagi sahaja saja belum pernah arah kepada terhadap`)...)

// chineseStopwords are Chinese function and reporting words ("said",
// "including", "already", "may"), simplified and traditional: common to
// every story, they only blur the comparison.
var chineseStopwords = words.Set(strings.Fields(`表示 可能 进行 進行 包括 没有 沒有 以及 已经 已經 他们 他們 我们 我們 她们 她們 这个 這個 那个 那個
一个 一個 目前 其中 同时 同時 对于 對於 由于 由於 因为 因為 所以 但是 如果 还是 還是 就是 并且 並且 之后 之後 之前 认为 認為
指出 报道 報道 报导 報導 此前 此外 另外 其他 其它 不过 不過 然而 以来 以來 方面 问题 問題 情况 情況 工作 相关 相關 有关 有關
今天 昨天 明天 今年 去年 时间 時間 时候 時候 地方 这些 這些 那些 自己 已于 已於 将会 將會 能够 能夠 需要 应该 應該 可以 一些
记者 記者 消息 新闻 新聞 据悉 據悉 透露 表明 强调 強調 称为 稱為 还有 還有 以上 以下 通过 通過 根据 根據 为了 為了 关于 關於`)...)

// Terms turns an article into weighted terms: stems of content words and
// names (folded, so that "Fiona" in Malay meets "Fiona" in English; names
// weigh more),
// numbers (prefixed "#"), and for Chinese text the English glosses of its
// words when a dictionary is loaded, else its character bigrams.
func Terms(title, text, lang string, g *Glossary) map[string]float64 {
	tf := map[string]float64{}
	add := func(t string, w float64) { tf[t] += w }
	var tk tokenizer
	if g != nil {
		tk.han = g.Chinese
		if lang == "ms" || lang == "id" {
			tk.lex = g.Malay
		}
	}
	tk.scan(title, func(int) float64 { return titleWeight }, add)
	tk.scan(text, func(pos int) float64 {
		if pos < leadRunes {
			return leadWeight
		}
		return bodyWeight
	}, add)
	// Dampen repetition: a term said ten times is not ten times the topic.
	for t, w := range tf {
		tf[t] = 1 + math.Log(w)
		if w < 1 {
			tf[t] = w
		}
	}
	return tf
}

// tokenizer holds the glossaries that apply to one text.
type tokenizer struct {
	han *Dict
	lex *Lexicon // Malay/Indonesian, only for text in those languages
}

// scan tokenises s, calling add for each term with its weight.
func (tk tokenizer) scan(s string, weight func(pos int) float64, add func(string, float64)) {
	rs := []rune(s)
	sentenceStart := true
	prev := ""
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case isHan(r):
			j := i
			for j < len(rs) && isHan(rs[j]) {
				j++
			}
			han(rs[i:j], weight(i), tk.han, add)
			i = j
			sentenceStart, prev = false, ""
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			j := i
			for j < len(rs) && !isHan(rs[j]) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j]) ||
				(strings.ContainsRune(".,'’-", rs[j]) && j+1 < len(rs) && (unicode.IsLetter(rs[j+1]) || unicode.IsDigit(rs[j+1])) && !isHan(rs[j+1]))) {
				j++
			}
			w := string(rs[i:j])
			word(w, weight(i), sentenceStart, add)
			lower := strings.ToLower(w)
			if tk.lex != nil {
				gloss := tk.lex.Lookup(prev + " " + lower)
				if gloss == nil {
					gloss = tk.lex.Lookup(lower)
				}
				for _, g := range gloss {
					add(g, weight(i)/float64(len(gloss)))
				}
			}
			i = j
			sentenceStart, prev = false, lower
		default:
			if strings.ContainsRune(".!?\n。！？", r) {
				sentenceStart = true
			}
			if !unicode.IsSpace(r) {
				prev = ""
			}
			i++
		}
	}
}

// word adds the terms of one Latin, Cyrillic or numeric word.
func word(w string, weight float64, sentenceStart bool, add func(string, float64)) {
	if n, ok := words.Number(strings.TrimRight(w, ".,")); ok {
		add("#"+n, weight*numBoost)
		return
	}
	lower := strings.ToLower(w)
	if n, ok := words.NumberWords[lower]; ok {
		add("#"+n, weight*numBoost)
		return
	}
	// COVID-19, S$500, F-35: a word with digits is a name as written.
	if strings.ContainsFunc(w, unicode.IsDigit) {
		add(words.Fold(lower), weight*nameBoost)
		// "48-hour" and "48 uur" share the number.
		if head, _, ok := strings.Cut(lower, "-"); ok {
			if n, isNum := words.Number(head); isNum {
				add("#"+n, weight*numBoost)
			}
		}
		return
	}
	capital := unicode.IsUpper([]rune(w)[0]) && !sentenceStart
	for _, part := range strings.FieldsFunc(lower, func(r rune) bool { return r == '-' || r == '\'' || r == '’' || r == '.' || r == ',' }) {
		if len([]rune(part)) < 3 && !(capital && len([]rune(part)) == 2) {
			continue
		}
		if words.Stopwords[part] || malayStopwords[part] {
			continue
		}
		// Names and ordinary words share one term space: "Hurricane
		// Fiona" and "the hurricane" meet.
		if capital {
			add(Stem(words.Fold(part)), weight*nameBoost)
			continue
		}
		add(Stem(words.Fold(part)), weight)
	}
}

// Stem is a light suffix-stripping stem, cut to seven letters: enough to
// meet "strikes"/"strike" and "flooding"/"flooded", without a language's
// full morphology.
func Stem(w string) string {
	n := len(w)
	switch {
	case unchanged[w]:
	case strings.HasSuffix(w, "ies") && n > 5:
		w = w[:n-3] + "y"
	case strings.HasSuffix(w, "sses"):
		w = w[:n-2]
	case strings.HasSuffix(w, "es") && n > 4 && strings.ContainsAny(w[n-3:n-2], "sxz") || strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "shes"):
		w = w[:n-2]
	case strings.HasSuffix(w, "s") && n > 3 && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		w = w[:n-1]
	case strings.HasSuffix(w, "ing") && n > 6:
		w = undouble(w[:n-3])
	case strings.HasSuffix(w, "ed") && n > 5:
		w = undouble(w[:n-2])
	case strings.HasSuffix(w, "ly") && n > 5:
		w = w[:n-2]
	}
	// "strike", "striking", "struck" aside: a final e comes and goes.
	if len(w) > 4 && strings.HasSuffix(w, "e") {
		w = w[:len(w)-1]
	}
	if rs := []rune(w); len(rs) > 7 {
		return string(rs[:7])
	}
	return w
}

// unchanged are words the suffix rules would wrongly shorten.
var unchanged = words.Set("news", "series", "species", "politics", "economics", "physics", "always", "perhaps", "whereas", "various")

// undouble turns "stopp" (from "stopped") into "stop".
func undouble(w string) string {
	if n := len(w); n > 3 && w[n-1] == w[n-2] && !strings.ContainsRune("aeiouls", rune(w[n-1])) {
		return w[:n-1]
	}
	return w
}

// han adds the terms of a run of Chinese characters: dictionary words
// with their English glosses (so Chinese and English reports of one event
// share "venezuela" and "hurricane"), and the words themselves.
func han(rs []rune, weight float64, dict *Dict, add func(string, float64)) {
	if dict == nil || !dict.load() {
		for i := 0; i+1 < len(rs); i++ {
			add("zh:"+string(rs[i:i+2]), weight)
		}
		return
	}
	for i := 0; i < len(rs); {
		n, gloss := dict.Longest(rs[i:])
		if n == 0 {
			i++
			continue
		}
		if n > 1 && !chineseStopwords[string(rs[i:i+n])] {
			add("zh:"+string(rs[i:i+n]), weight)
			for _, g := range gloss {
				add(g, weight/float64(len(gloss)))
			}
		}
		i += n
	}
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }
