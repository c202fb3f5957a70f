package extract

import (
	"github.com/abadojack/whatlanggo"
)

// DetectLanguage returns the ISO 639-1 code of text's language, or "" when
// the text is too short or too mixed to tell.
func DetectLanguage(text string) string {
	if len(text) > 20000 {
		text = text[:20000]
	}
	info := whatlanggo.Detect(text)
	if info.Lang == -1 {
		return ""
	}
	if !info.IsReliable() && len(text) < 200 {
		return ""
	}
	return info.Lang.Iso6391()
}
