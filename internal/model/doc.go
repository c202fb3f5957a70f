// Package model holds crosscheck's domain types: articles, what was removed
// from them, and inputs that were rejected. It imports nothing internal, so
// every other package can depend on it.
package model
