package dk.brobygger.shell

import androidx.compose.material3.Button
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import dk.brobygger.core.NoteSummary
import dk.brobygger.core.Vault
import dk.brobygger.core.noteStateLabel
import kotlinx.coroutines.CoroutineDispatcher
import java.time.ZoneId

data class NotesUi(val query: String = "", val items: List<NoteSummary> = emptyList(), val next: String? = null, val unreadable: UInt = 0u)

/** Notes, newest first, a page at a time; or those matching a search (text, amendments, follow-ups, reference). */
class NotesState(private val vault: Vault, dispatcher: CoroutineDispatcher, hooks: Hooks) : Holder<NotesUi>(NotesUi(), dispatcher, hooks) {
    init {
        search()
    }

    fun onQuery(q: String) = update { it.copy(query = q) }

    fun search() {
        val q = state.value.query.trim()
        launch {
            val page = if (q.isEmpty()) vault.listNotes(null, PAGE, null) else vault.searchNotes(q, PAGE, null)
            update { it.copy(items = page.items, next = page.nextCursor, unreadable = page.unreadable) }
        }
    }

    fun more() {
        val ui = state.value
        val cursor = ui.next ?: return
        val q = ui.query.trim()
        launch {
            val page = if (q.isEmpty()) vault.listNotes(null, PAGE, cursor) else vault.searchNotes(q, PAGE, cursor)
            update { it.copy(items = it.items + page.items, next = page.nextCursor, unreadable = it.unreadable + page.unreadable) }
        }
    }

    private companion object {
        const val PAGE = 20u
    }
}

@Composable
fun NotesScreen(holder: NotesState, navigate: (Route) -> Unit, back: () -> Unit) {
    val ui by holder.state.collectAsState()
    val error by holder.error.collectAsState()
    val lang = LocalLanguage.current
    Screen(tr("Notater", "Notes"), onBack = back) {
        Field(ui.query, holder::onQuery, tr("Søg i notater", "Search notes"), "notes-query")
        Actions {
            Button(onClick = holder::search, modifier = Modifier.testTag("notes-search")) { Text(tr("Søg", "Search")) }
            SmallAction(tr("Nyt notat", "New note"), "notes-new") { navigate(Route.Note()) }
        }
        ErrorText(error, holder::dismissError)
        for (n in ui.items) {
            ItemCard("notes-item:${n.id}") {
                Text((n.citizenNickname ?: tr("Anonym", "Anonymous")) + " · " + instantText(n.occurredAt, ZoneId.systemDefault(), lang) + " · " + noteStateLabel(n.state, lang))
                Text(n.snippet)
                SmallAction(tr("Åbn", "Open"), "notes-open:${n.id}") { navigate(Route.Note(noteId = n.id)) }
            }
        }
        if (ui.unreadable > 0u) Text(tr("${ui.unreadable} notater kunne ikke åbnes.", "${ui.unreadable} notes could not be opened."))
        if (ui.next != null) SmallAction(tr("Vis flere", "Show more"), "notes-more", holder::more)
    }
}
