// Starts GraphiQL against this server's /graphql (served from the binary: no CDN, so it also
// works on an intranet, under a Content-Security-Policy that allows only this origin).
(function () {
  var fetcher = GraphiQL.createFetcher({ url: "/graphql" });
  var start = [
    "# Trang Cộng Đồng — GraphQL",
    "#",
    "# 1. Sign in (when accessToken is null, userErrors says why):",
    "#    mutation { login(input: { username: \"…\", password: \"…\" }) {",
    "#      accessToken userErrors { code message } } }",
    "# 2. In the Headers pane: { \"Authorization\": \"Bearer <accessToken>\" }",
    "# 3. Then, for example:",
    "",
    "{ units(search: \"tam\", first: 5) { totalCount nodes { code fullName } } }",
    "",
  ].join("\n");
  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: start,
      defaultHeaders: "{\n  \"Authorization\": \"Bearer \"\n}",
      defaultEditorToolsVisibility: "headers",
    })
  );
})();
