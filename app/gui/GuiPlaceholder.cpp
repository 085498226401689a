// Placeholder so the library has a source until the main window lands.
namespace idesk { int guiPlaceholder() { return 0; } }
