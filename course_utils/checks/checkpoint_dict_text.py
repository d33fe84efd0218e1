"""What checks.checkpoint_dict says: the mistakes it names in lesson 06's
``save_checkpoint`` and ``load_checkpoint``."""

from __future__ import annotations

from course_utils.i18n import Catalog

_ = Catalog(
    {
        "no_file": {
            "es": "«save_checkpoint» no escribió nada en la ruta que recibe: guarda con "
            "«torch.save(checkpoint, path)».",
            "en": "save_checkpoint wrote nothing at the path it receives: save with "
            "torch.save(checkpoint, path).",
        },
        "uses_helper": {
            "es": "«save_checkpoint» llama a «checkpoint.save» del curso: el ejercicio es "
            "escribir tú el diccionario y guardarlo con «torch.save».",
            "en": "save_checkpoint calls the course's checkpoint.save: the exercise is to "
            "write the dictionary yourself and save it with torch.save.",
        },
        "unreadable": {
            "es": "«torch.load» no puede leer el archivo que escribe «save_checkpoint»: "
            "escríbelo con «torch.save».",
            "en": "torch.load cannot read the file save_checkpoint writes: write it with "
            "torch.save.",
        },
        "objects": {
            "es": "el archivo guarda un objeto «{kind}», y «torch.load(..., weights_only=True)» "
            "lo rechaza: guarda solo tensores y valores simples, es decir, los «state_dict()» "
            "del modelo y del optimizador y «generator.get_state()».",
            "en": "the file holds a {kind} object, which torch.load(..., weights_only=True) "
            "refuses: save only tensors and plain values, that is, the model's and the "
            "optimizer's state_dict() and generator.get_state().",
        },
        "method": {
            "es": "el archivo guarda un método en vez de lo que devuelve: faltan los paréntesis, "
            "«model.state_dict()», «optimizer.state_dict()», «generator.get_state()».",
            "en": "the file holds a method instead of what it returns: the parentheses are "
            "missing, model.state_dict(), optimizer.state_dict(), generator.get_state().",
        },
        "whole_dict": {
            "es": "«load_state_dict» recibió el punto de control entero: pásale solo la parte del "
            "modelo (o del optimizador), p. ej. «model.load_state_dict(checkpoint['model'])».",
            "en": "load_state_dict got the whole checkpoint: give it only the model's (or the "
            "optimizer's) part, e.g. model.load_state_dict(checkpoint['model']).",
        },
        "model_not_saved": {
            "es": "el archivo no lleva los pesos del modelo: guarda «model.state_dict()».",
            "en": "the file does not carry the model's weights: save model.state_dict().",
        },
        "model_not_restored": {
            "es": "el modelo que recibe «load_checkpoint» no acaba con los pesos guardados: "
            "cárgalos en él con «model.load_state_dict(...)».",
            "en": "the model load_checkpoint receives does not end up with the saved weights: "
            "load them into it with model.load_state_dict(...).",
        },
        "unsafe_load": {
            "es": "«load_checkpoint» ejecutó el código escondido en un archivo manipulado: lee "
            "con «torch.load(path, weights_only=True)», que solo acepta tensores y valores "
            "simples.",
            "en": "load_checkpoint ran the code hidden in a tampered file: read with "
            "torch.load(path, weights_only=True), which accepts only tensors and plain values.",
        },
        "optimizer_not_saved": {
            "es": "el archivo no lleva el estado del optimizador (los momentos de Adam y su "
            "contador de pasos): guarda «optimizer.state_dict()».",
            "en": "the file does not carry the optimizer's state (Adam's moments and step "
            "count): save optimizer.state_dict().",
        },
        "optimizer_not_restored": {
            "es": "el optimizador que recibe «load_checkpoint» no recupera su estado: "
            "«optimizer.load_state_dict(...)».",
            "en": "the optimizer load_checkpoint receives does not get its state back: "
            "optimizer.load_state_dict(...).",
        },
        "generator_not_saved": {
            "es": "el archivo no lleva el estado del generador que baraja los datos: guarda "
            "«generator.get_state()», o los lotes saldrán en otro orden al reanudar.",
            "en": "the file does not carry the state of the generator that shuffles the data: "
            "save generator.get_state(), or the batches will come in another order on "
            "resuming.",
        },
        "generator_not_restored": {
            "es": "el generador que recibe «load_checkpoint» no recupera su estado: "
            "«generator.set_state(...)» (no «torch.set_rng_state», que es el generador global).",
            "en": "the generator load_checkpoint receives does not get its state back: "
            "generator.set_state(...) (not torch.set_rng_state, which is the global one).",
        },
        "epoch_not_number": {
            "es": "«load_checkpoint» debe devolver el número de épocas hechas ({epoch}), no un "
            "«{kind}».",
            "en": "load_checkpoint must return the number of epochs done ({epoch}), not a {kind}.",
        },
        "epoch_not_saved": {
            "es": "guardado tras {epoch} épocas, «load_checkpoint» devuelve {got}, y el número "
            "de épocas no está en el archivo: guárdalo también y devuélvelo al cargar.",
            "en": "saved after {epoch} epochs, load_checkpoint returns {got}, and the number "
            "of epochs is not in the file: save it too and return it on loading.",
        },
        "epoch_off_by_one": {
            "es": "guardado tras {epoch} épocas, el archivo lleva {stored} como épocas hechas, "
            "una de más o de menos, y «load_checkpoint» devuelve {got}: guarda tal cual el "
            "«epoch» que recibe «save_checkpoint» (ya cuenta las épocas hechas) y devuélvelo "
            "sin cambiarlo al cargar.",
            "en": "saved after {epoch} epochs, the file stores {stored} as the epochs done, one "
            "off, and load_checkpoint returns {got}: store the epoch save_checkpoint receives "
            "as it is (it already counts the epochs done) and return it unchanged on loading.",
        },
        "wrong_epoch": {
            "es": "guardado tras {epoch} épocas, «load_checkpoint» devuelve {got}: devuelve "
            "las épocas hechas tal como se guardaron.",
            "en": "saved after {epoch} epochs, load_checkpoint returns {got}: return the "
            "epochs done, as they were saved.",
        },
    }
)
