import Hummingbird
import Ledger
import RIPA

/// The start page: what needs the user's attention, by role.
struct Home {
    let state: ServerState

    func addRoutes(to router: Router<WebContext>) {
        router.get("/") { _, context in
            let session = try context.signedIn()
            return await state.pages.render(
                "home", title: "Your work",
                data: [
                    "roles": session.actor.roles.map(\.title).joined(separator: ", "),
                    "links": Navigation.links(for: session),
                ],
                context: context, state: state)
        }
        router.get("/health") { _, _ in
            let finding = state.integrity.finding
            return JSONResponse.make(["ok": .bool(finding == nil)], status: finding == nil ? .ok : .serviceUnavailable)
        }
    }
}
