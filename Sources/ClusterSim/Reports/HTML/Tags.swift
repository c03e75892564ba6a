import Foundation
import Plot

/// A piece of the HTML report (or of an SVG chart inside it), built as Plot nodes.
typealias Markup = Node<HTML.BodyContext>

/// The report's building blocks over Plot: elements by name, attributes and text, every value
/// escaped here.
///
/// Plot renders attribute values as given and leaves what looks like an entity in text alone
/// (`&amp;` stays `&amp;`), so a user's name such as `a"b` or `R&amp;D` would pass through. These
/// helpers escape with `XMLText` themselves and hand Plot the escaped text as raw text.
enum Tags {
  /// Escaped text.
  static func text(_ text: String) -> Markup { .raw(XMLText.text(text)) }

  /// An attribute with its value escaped.
  static func attribute(_ name: String, _ value: String) -> Markup {
    .attribute(named: name, value: XMLText.attribute(value), ignoreIfValueIsEmpty: false)
  }

  /// `<name attributes...>children</name>`.
  static func element(
    _ name: String, _ attributes: KeyValuePairs<String, String> = [:], _ children: [Markup] = []
  ) -> Markup {
    .element(named: name, nodes: attributes.map { attribute($0.key, $0.value) } + children)
  }

  /// An element with attributes given as a list (for attributes chosen at run time).
  static func element(_ name: String, list: [(String, String)], _ children: [Markup]) -> Markup {
    .element(named: name, nodes: list.map { attribute($0.0, $0.1) } + children)
  }
}
