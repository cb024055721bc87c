package web

// bundleProvidedMessages mark a bundle's material that another member's
// result, an electronic licence passed on inside the bundle, provides
// (see mergeMessages).
var bundleProvidedMessages = map[string][2]string{
	"bundles.provided_by_member": {"由本一件事中其他事项的办理结果提供，无需提交", "Provided by another member's result: not to be handed in"},
}

func init() { mergeMessages(bundleProvidedMessages) }
